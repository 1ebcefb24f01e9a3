"""The run as Markdown, for a CI job's summary page (GitHub's `$GITHUB_STEP_SUMMARY`): the verdict, the
outcome counts, the requirements that did not pass, then every requirement in a folded table."""

from __future__ import annotations

from pathlib import Path

from ..credentials import SHOWN_NOTICE, Credentials
from ..runner import Outcome, Result, RunResult
from .files import write_report

NOTE_LENGTH = 200
ICONS = {
    Outcome.PASSED: "✅",
    Outcome.FAILED: "❌",
    Outcome.WARNED: "⚠️",
    Outcome.OBSERVED: "🔎",
    Outcome.SKIPPED: "⏭️",
    Outcome.ERRORED: "💥",
}


def cell(text: str) -> str:
    """Text that stays inside one table cell and is not read as HTML."""
    first = text.split("\n", 1)[0]
    if len(first) > NOTE_LENGTH:
        first = first[: NOTE_LENGTH - 1] + "…"
    return first.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def table(results: list[Result]) -> list[str]:
    lines = ["| Requirement | Level | Outcome | Note |", "| --- | --- | --- | --- |"]
    for result in results:
        requirement, outcome = result.requirement, result.outcome
        note = cell(result.message)
        lines.append(f"| `{requirement.id}` | {requirement.level} | {ICONS[outcome]} {outcome} | {note} |")
    return lines


def render_markdown(run: RunResult) -> str:
    heading = "✅ Conforms: every MUST requirement holds" if run.ok else "❌ Does not conform"
    counts = run.counts.as_dict()
    families = ", ".join(run.families) or "none"
    lines = [
        f"## {heading}",
        "",
        f"`{cell(run.base_url)}`: {run.profile} profile, seed {run.seed}, families {families}; "
        f"{run.requests} requests in {run.duration:.1f} s.",
        "",
        "| " + " | ".join(counts) + " |",
        "|" + " ---: |" * len(counts),
        "| " + " | ".join(str(n) for n in counts.values()) + " |",
        "",
    ]
    if run.secrets_shown:
        lines += [f"**{SHOWN_NOTICE}**", ""]
    notable = [r for r in run.results if r.outcome not in (Outcome.PASSED, Outcome.OBSERVED)]
    if notable:
        lines += ["### Not passed", "", *table(notable), ""]
    for family, reason in run.not_checked.items():
        lines += [f"Family {family} not checked: {cell(reason)}", ""]
    if run.cleanup is not None:
        lines += [f"Cleanup: {cell(run.cleanup.describe())}.", ""]
        if run.cleanup.leftovers:
            lines += ["### Left on the server", "", "| Family | Id | Left because |", "| --- | ---: | --- |"]
            lines += [f"| {x.family} | {x.id} | {cell(x.reason)} |" for x in run.cleanup.leftovers] + [""]
    if run.load:
        lines += [f"Load: {run.load}.", ""]
    if run.token_variables and not run.secrets_shown:
        holders = ", ".join(f"`{variable}` {holder}" for variable, holder in run.token_variables.items())
        lines += [f"Tokens in the reports' curl lines: {holders}.", ""]
    lines += [
        "<details><summary>Every requirement</summary>",
        "",
        *table(run.results),
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines)


def write_markdown(run: RunResult, path: Path) -> None:
    write_report(run, path, render_markdown(run))


def write_untestable(path: Path, base_url: str, reason: str, credentials: Credentials) -> None:
    """The summary of a run that could not start (exit 2): what to fix."""
    text = f"## ❌ Could not be tested\n\n`{cell(base_url)}`: {cell(reason)}\n"
    path.write_text(credentials.mask(text), encoding="utf-8")
