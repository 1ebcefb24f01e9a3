"""Pages made of random pieces of the format: the build never crashes and the document stays valid."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specgen.build import build
from specgen.check import validation_errors
from specgen.lint import lint_pages
from tests.specgen.pagekit import SCHEMA_THING, endpoint

PIECES = [
    "\n",
    "\n\n",
    "|",
    " | ",
    "»",
    "» ",
    "¦",
    "`",
    "---\n",
    "title: T\n",
    ":::info\n",
    ":::\n",
    "## HTTP Request\n",
    "### Parameters\n",
    "## Responses\n",
    "### Response Schema\n",
    "Status Code **200**\n",
    "#### Enumerated Values\n",
    "`GET /api/v2/x/{id}/`",
    "`POST /api/v2/x/`",
    " path ",
    " query ",
    " body ",
    " true ",
    " false ",
    "integer",
    "string(date-time)",
    "list(",
    ")",
    "null",
    "[]",
    "[Thing](/docs/apireference/v2/schemas/thing)",
    "[k](/docs/apireference/v2/schemas/thing#enumerated-values)",
    "[Gone](/docs/apireference/v2/schemas/gone)",
    "|---|---|\n",
    "| Name | In | Type | Required | Description |\n",
    "| Status | Meaning | Description | Schema |\n",
    "| 200 | OK | ok | Inline |\n",
    "This operation requires authentication.",
    "admin role",
    "{",
    "}",
    "```json\n",
    "```\n",
    "````mdx-code-block\n",
    '<TabItem value="200">',
    '{"a": "string"}',
    "\\",
    "é",
    "\t",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.sampled_from(["", endpoint()]))
def test_random_pages_never_crash(pieces: list[str], prefix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "schemas").mkdir()
        (root / "schemas" / "thing.md").write_text(SCHEMA_THING, encoding="utf-8")
        (root / "x").mkdir()
        (root / "x" / "page.md").write_text(prefix + "".join(pieces), encoding="utf-8")
        result = build(root)
        lint_pages(result.pages)
        assert list(validation_errors(result.document)) == []
        assert all(finding.file for finding in result.findings)
