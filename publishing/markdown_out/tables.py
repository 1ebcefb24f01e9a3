"""Markdown tables padded the way the reference pages pad them."""

from __future__ import annotations

from collections.abc import Sequence


def cell(text: str) -> str:
    """Table cells hold one line: pipes are escaped; a newline cannot be kept."""
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(str(value).ljust(widths[i]) for i, value in enumerate(header)) + " |"]
    lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    lines += [
        "| " + " | ".join(str(value).ljust(widths[i]) for i, value in enumerate(row)) + " |" for row in rows
    ]
    return "\n".join(lines)
