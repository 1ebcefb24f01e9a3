"""docs/errata.md as data: its rows (where our pages read a public page differently) and the pages it
lists as kept verbatim. The fidelity tests enforce both; the round-trip tests of ``publishing markdown``
hold verbatim pages to the corpus's guarantee."""

from __future__ import annotations

import re
from dataclasses import dataclass

from testkit.processes import REPO_ROOT

ERRATA = REPO_ROOT / "docs" / "errata.md"
VERBATIM_HEADING = "## Pages kept verbatim"


@dataclass(frozen=True)
class Erratum:
    page: str
    line: int
    field: str
    says: str

    def covers(self, page: str, field: str) -> bool:
        return page == self.page and (field == self.field or field.startswith(self.field + "."))


def errata() -> list[Erratum]:
    rows = []
    for line in ERRATA.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 6 and cells[1].isdigit():
            rows.append(Erratum(cells[0], int(cells[1]), cells[2], cells[3]))
    return rows


def verbatim_pages() -> list[str]:
    """The pages (paths under ``apireference/v2/``) listed under "Pages kept verbatim"."""
    text = ERRATA.read_text(encoding="utf-8")
    section = text.partition(VERBATIM_HEADING)[2].split("\n## ", 1)[0]
    return re.findall(r"^- `([\w/]+\.md)`$", section, re.MULTILINE)
