"""The normalisation under which regenerated pages equal their sources (docs/markdown-round-trip.md).

Applied to both sides before comparing:

1. ``sidebar_position`` is dropped from the front matter: the spec does not record it.
2. The body of the ``Example Request`` section and the whole ``Example Body Parameters``
   section are dropped: examples are regenerated from the spec (the sources' examples are
   hand-written and are not part of the spec).
3. Tables are re-padded: one space around each cell, three dashes in the delimiter row.
4. Trailing spaces are removed and runs of blank lines become one.
9. Admonitions other than ``:::info`` (``:::note`` …) are unwrapped: the spec keeps their prose in
   the description, not their kind; the regenerated page has it as plain prose.

Schema pages carry more than the spec keeps; ``normalise_schema_page`` also applies:

5. Fenced JSON examples are dropped (the type skeleton above the tables).
6. Restrictions other than ``read-only`` / ``write-only`` become ``none`` (e.g. ``max 64 chars``).
7. Table columns the spec does not carry are dropped: ``Note`` (Properties) and ``Description``
   (Enumerated Values).
8. Enumerated Values rows are sorted: the spec keeps each property's values, not the row order
   of the table (nor where ``null`` stands among them).
"""

from __future__ import annotations

import re

EXAMPLES = re.compile(r"(^#{2,4} Example Request[^\n]*\n).*?(?=^#{2,4} |\Z)", re.MULTILINE | re.DOTALL)
BODY_EXAMPLES = re.compile(
    r"^#{2,4} Example Body Parameters[^\n]*\n.*?(?=^#{2,4} |\Z)", re.MULTILINE | re.DOTALL
)
POSITION = re.compile(r"^sidebar_position:.*\n", re.MULTILINE)
OTHER_ADMONITION = re.compile(
    r"^:::(?:note|tip|caution|warning|danger)[^\n]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL
)


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return [cell.strip() for cell in cells]


def _tables(text: str) -> str:
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = _split_row(stripped)
            if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                cells = ["---"] * len(cells)
            out.append("| " + " | ".join(cells) + " |")
        else:
            out.append(line)
    return "\n".join(out)


def normalise(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = POSITION.sub("", text[: end + 1]) + text[end + 1 :]
    text = OTHER_ADMONITION.sub(r"\1", text)
    text = EXAMPLES.sub(r"\1(examples)\n\n", text)
    text = BODY_EXAMPLES.sub("", text)
    text = _tables(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


KEPT_RESTRICTIONS = ("read-only", "write-only")
JSON_BLOCK = re.compile(r"^```json\n.*?^```\n", re.MULTILINE | re.DOTALL)


def _schema_tables(text: str) -> str:
    out: list[str] = []
    drop: list[int] = []
    restrictions: int | None = None
    for line in text.split("\n"):
        if not line.startswith("| "):
            drop, restrictions = [], None
            out.append(line)
            continue
        cells = _split_row(line)
        if cells and cells[0] in ("Name", "Property") and not drop:
            lowered = [cell.lower() for cell in cells]
            enum_table = cells[0] == "Property"
            drop = [
                i for i, c in enumerate(lowered) if c == "note" or (enum_table and c == "description")
            ] or [-1]
            restrictions = lowered.index("restrictions") if "restrictions" in lowered else None
        elif restrictions is not None and restrictions < len(cells) and set(cells) != {"---"}:
            kept = [word for word in KEPT_RESTRICTIONS if word in cells[restrictions].lower()]
            cells[restrictions] = ", ".join(kept) or "none"
        out.append("| " + " | ".join(c for i, c in enumerate(cells) if i not in drop) + " |")
    return "\n".join(out)


def _sorted_enum_rows(text: str) -> str:
    blocks = text.split("\n\n")
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        if lines and lines[0].startswith("| Property | Value"):
            blocks[index] = "\n".join(lines[:2] + sorted(lines[2:]))
    return "\n\n".join(blocks)


def normalise_schema_page(text: str) -> str:
    return _sorted_enum_rows(normalise(_schema_tables(normalise(JSON_BLOCK.sub("", text)))))
