"""Checks that only the linter runs (the builder reports the rest while it reads the pages).

Each check is a small function from a page to findings, registered in `CHECKS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from specgen.findings import PageFinding
from specgen.pages import SourcePage

Check = Callable[[SourcePage], Iterator[PageFinding]]

_EXAMPLE_URL = re.compile(r"""(?:https?://[^/\s'"`]+)?(/api/[^\s'"`?#\\)]*)""")
_CURL_METHOD = re.compile(r"(?:-X|--request)\s+([A-Za-z]+)")
_FETCH_METHOD = re.compile(r"""method\s*:\s*['"]([A-Za-z]+)['"]""")


def table_cells(page: SourcePage) -> Iterator[PageFinding]:
    """Rows whose cell count differs from the header (the Markdown parser silently pads or drops cells)."""
    for table in page.tables:
        width = len(table.header)
        for row in table.rows:
            if row.source_cells == width:
                continue
            extra = [cell for cell in row.written[width:] if cell]
            rule = "table-cells" if row.source_cells < width or extra else "table-cells-empty"
            yield PageFinding(
                page.rel, row.line, rule, f"{row.source_cells} cells, the header has {width}: align the row"
            )


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^{}]+\})", path)
    body = "".join(r"[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(body.rstrip("/") + "/?")


def example_requests(page: SourcePage) -> Iterator[PageFinding]:
    """Example request URLs and methods must be those of the HTTP Request line."""
    if page.request is None:
        return
    template = _template(page.request.path)
    allowed = [template, *(_template(alt.split()[-1]) for alt in page.request.alternatives)]
    for block in page.code_blocks:
        for number, text in enumerate(block.content.splitlines()):
            for match in _EXAMPLE_URL.finditer(text):
                url = match.group(1)
                if url != page.request.path and not any(pattern.fullmatch(url) for pattern in allowed):
                    yield PageFinding(
                        page.rel,
                        block.line + number,
                        "example-path-mismatch",
                        f"example calls {url}, the documented path is {page.request.path}",
                    )
            for method in (*_CURL_METHOD.findall(text), *_FETCH_METHOD.findall(text)):
                if method.upper() != page.request.method:
                    yield PageFinding(
                        page.rel,
                        block.line + number,
                        "example-method-mismatch",
                        f"example uses {method.upper()}, the documented method is {page.request.method}",
                    )


CHECKS: tuple[Check, ...] = (table_cells, example_requests)


def lint_pages(pages: list[SourcePage]) -> list[PageFinding]:
    return [finding for page in pages for check in CHECKS for finding in check(page)]
