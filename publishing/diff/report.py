"""The change list as text (terminal), JSON (tools) or Markdown (pull-request comments)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from publishing.diff.model import Change

FORMATS = ("text", "json", "markdown")


def summary(changes: Sequence[Change]) -> str:
    breaking = sum(change.breaking for change in changes)
    if not changes:
        return "No changes that affect clients."
    return f"{breaking} breaking, {len(changes) - breaking} non-breaking change(s)."


def as_text(changes: Sequence[Change]) -> str:
    lines = []
    for change in changes:
        kind = "BREAKING" if change.breaking else "ok      "
        where = f"{change.operation}: " if change.operation and change.operation != change.location else ""
        lines.append(f"{kind} [{change.rule}] {where}{change.message}")
    lines.append(summary(changes))
    return "\n".join(lines) + "\n"


def as_json(changes: Sequence[Change]) -> str:
    document = {
        "breaking": sum(change.breaking for change in changes),
        "non_breaking": sum(not change.breaking for change in changes),
        "changes": [change.as_dict() for change in changes],
    }
    return json.dumps(document, indent=2) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def as_markdown(changes: Sequence[Change]) -> str:
    lines = ["# API changes", "", summary(changes)]
    for title, breaking in (("Breaking changes", True), ("Non-breaking changes", False)):
        chosen = [change for change in changes if change.breaking == breaking]
        if not chosen:
            continue
        lines += ["", f"## {title}", "", "| Rule | ComparedOperation | Change |", "|---|---|---|"]
        lines += [
            f"| `{change.rule}` | {_cell(change.operation)} | {_cell(change.message)} |" for change in chosen
        ]
    return "\n".join(lines) + "\n"


def render(changes: Sequence[Change], fmt: str) -> str:
    return {"text": as_text, "json": as_json, "markdown": as_markdown}[fmt](changes)
