"""Malformed pages never crash the generator: they are reported at file:line and the rest still builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from specgen.build import build
from specgen.check import validation_errors
from specgen.cli import main
from tests.specgen.conftest import WriteDocs
from tests.specgen.pagekit import endpoint

MALFORMED: dict[str, str] = {
    "empty.md": "",
    "front_matter_only.md": "---\ntitle: Nothing\n---\n",
    "front_matter_unclosed.md": "---\ntitle: Open\n\n## HTTP Request\n\n`GET /api/v2/open/`\n",
    "no_front_matter.md": endpoint(path="/api/v2/bare/").split("---\n", 2)[2],
    "header_only_table.md": endpoint(path="/api/v2/header/").replace(
        "| id | path | integer | true | Thing id |\n", ""
    ),
    "ragged_table.md": endpoint(
        path="/api/v2/ragged/{id}/", rows="| id | path |\n| x | query | string | a | b | c |"
    ),
    "unclosed_fence.md": endpoint(path="/api/v2/fence/", after="```js\nfetch('/api/v2/fence/'"),
    "unclosed_info.md": endpoint(path="/api/v2/info/").replace(":::\n\n## HTTP", "\n## HTTP"),
    "request_heading_last.md": "---\ntitle: Last\n---\n\n## HTTP Request\n",
    "garbage_status.md": endpoint(path="/api/v2/status/", responses="| abc | ? | ? | ? |\n| | | | |"),
    "orphan_nesting.md": endpoint(
        method="POST", path="/api/v2/nest/", rows="| »»» a | body | string | true | x |"
    ),
    "bad_inline_json.md": endpoint(path="/api/v2/json/", rows='| q | query | {"a": | false | x |'),
    "odd_links.md": endpoint(
        path="/api/v2/links/",
        rows="| q | query | [X](mailto:a@b) | false | x |\n"
        "| r | query | [Y]() | false | y |\n| s | query | [Z](#nowhere) | false | z |",
    ),
    "pipes.md": "| |\n|-|\n| | | |\n",
    "only_tables.md": "| Status | Meaning |\n|---|---|\n| 200 |\n",
    "weird_path.md": endpoint(path="/api/v2/{}/x/{ id }/"),
}


@pytest.fixture
def docs(write_docs: WriteDocs) -> Path:
    root = write_docs({f"bad/{name}": text for name, text in MALFORMED.items()})
    (root / "bad" / "latin1.md").write_bytes("title: caf\xe9\n".encode("latin-1"))
    return root


def test_build_succeeds_and_validates(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    result = CliRunner().invoke(main, ["build", "--docs", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert list(validation_errors(build(docs).document)) == []


def test_lint_reports_without_crashing(docs: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--docs", str(docs)])
    assert isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in (
        "bad/latin1.md:1: page-unreadable",
        "bad/request_heading_last.md:5: request-line-invalid",
        f"bad/garbage_status.md:{line('garbage_status.md', '| abc |')}: status-invalid",
        f"bad/ragged_table.md:{line('ragged_table.md', '| x | query |')}: table-cells",
        f"bad/bad_inline_json.md:{line('bad_inline_json.md', '| q | query |')}: type-unknown",
        f"bad/odd_links.md:{line('odd_links.md', '| q | query |')}: type-unknown",
        f"bad/weird_path.md:{line('weird_path.md', '`GET ')}: path-template-invalid",
        f"bad/orphan_nesting.md:{line('orphan_nesting.md', '| »»» a |')}: nesting-orphan",
    ):
        assert any(entry.startswith(expected) for entry in lines), f"{expected!r} not in:\n{result.output}"


def test_pages_that_cannot_be_operations_are_skipped_with_an_error(docs: Path) -> None:
    result = build(docs)
    paths = result.document["paths"]
    assert "/api/v2/bare/" in paths and "/api/v2/info/" in paths and "/api/v2/fence/" in paths
    skipped = {f.file for f in result.findings if f.rule in ("request-line-invalid", "request-line-missing")}
    assert "bad/request_heading_last.md" in skipped
    assert "bad/request_heading_last.md" not in result.operations


def line(name: str, needle: str) -> int:
    return next(n for n, text in enumerate(MALFORMED[name].splitlines(), 1) if needle in text)
