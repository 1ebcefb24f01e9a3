"""`specgen check`: a stale or invalid spec fails, naming the first difference."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from specgen.build import build
from specgen.check import access_errors, first_difference, validation_errors
from specgen.cli import main
from tests.specgen.conftest import WriteDocs
from tests.specgen.pagekit import endpoint


@pytest.fixture
def built(write_docs: WriteDocs, tmp_path: Path) -> tuple[Path, Path]:
    docs = write_docs({"thing/get_thing.md": endpoint()})
    spec = tmp_path / "openapi" / "v2.yaml"
    result = CliRunner().invoke(main, ["build", "--docs", str(docs), "--out", str(spec)])
    assert result.exit_code == 0, result.output
    return docs, spec


def check(docs: Path, spec: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--docs", str(docs), "--spec", str(spec)])
    return result.exit_code, result.output


def test_fresh_spec_passes(built: tuple[Path, Path]) -> None:
    code, output = check(*built)
    assert code == 0, output
    assert "up to date" in output


def test_docs_changed_after_build(built: tuple[Path, Path]) -> None:
    docs, spec = built
    page = docs / "thing" / "get_thing.md"
    page.write_text(page.read_text().replace("| The thing |", "| The thing, renamed |"))
    code, output = check(docs, spec)
    assert code == 1
    assert "paths./api/v2/thing/{id}/.get.responses.200.description" in output
    assert '"The thing, renamed"' in output and '"The thing"' in output


def test_spec_edited_by_hand(built: tuple[Path, Path]) -> None:
    docs, spec = built
    spec.write_text(spec.read_text().replace("'404':", "'410':"))
    code, output = check(docs, spec)
    assert code == 1
    assert "paths./api/v2/thing/{id}/.get.responses.404" in output
    assert "(absent)" in output


def test_formatting_only_difference_shows_a_diff(built: tuple[Path, Path]) -> None:
    docs, spec = built
    spec.write_text(spec.read_text().replace("openapi: 3.0.3", "openapi: '3.0.3'"))
    code, output = check(docs, spec)
    assert code == 1
    assert "formatting only" in output
    assert "-openapi: '3.0.3'" in output and "+openapi: 3.0.3" in output


def test_missing_and_unparsable_spec(built: tuple[Path, Path]) -> None:
    docs, spec = built
    code, output = check(docs, spec.with_name("absent.yaml"))
    assert code == 1 and "cannot read" in output
    spec.write_text("paths: [unclosed\n")
    code, output = check(docs, spec)
    assert code == 1 and "not valid YAML" in output


def test_validator_names_what_is_invalid(write_docs: WriteDocs) -> None:
    document = build(write_docs({"thing/get_thing.md": endpoint()})).document
    assert list(validation_errors(document)) == []
    del document["paths"]["/api/v2/thing/{id}/"]["get"]["responses"]
    errors = list(validation_errors(document))
    assert errors and "responses" in errors[0]


def test_first_difference_walks_lists_and_key_order() -> None:
    assert first_difference({"a": [1, 2]}, {"a": [1, 3]}) == ("a.1", 2, 3)
    assert first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) == (
        "(root) (key order)",
        ["a", "b"],
        ["b", "a"],
    )
    assert first_difference({"a": 1}, {"a": 1}) is None


def test_invalid_x_access_is_reported_per_operation(built: tuple[Path, Path]) -> None:
    docs, spec = built
    text = spec.read_text()
    assert "authentication: required" in text
    spec.write_text(text.replace("authentication: required", "authentication: maybe", 1))
    code, output = check(docs, spec)
    assert code == 1
    assert "GET /api/v2/thing/{id}/: x-access.authentication: 'maybe' is not one of" in output
    assert "x-access problem(s)" in output


def test_access_errors_name_each_problem() -> None:
    document = {
        "paths": {
            "/a/": {
                "get": {"x-access": {"authentication": "none", "roles": [], "rules": [{"when": {}}]}},
                "post": {"responses": {}},
                "delete": {"x-access": {"authentication": "none", "roles": ["Bad Role"], "public": False}},
            }
        }
    }
    problems = list(access_errors(document))
    assert "POST /a/: no x-access (state the access in the page's :::info block)" in problems
    rule_problems = [p for p in problems if p.startswith("GET /a/: x-access.rules[0]:")]
    assert any("'authentication' is a required" in p for p in rule_problems)
    assert any(p.startswith("GET /a/: x-access.rules[0].when:") for p in problems)
    assert any(p.startswith("DELETE /a/: x-access.roles[0]: 'Bad Role' does not match") for p in problems)
    assert any(p.startswith("DELETE /a/: x-access.public: True was expected") for p in problems)


def test_committed_spec_has_valid_x_access() -> None:
    from specgen.yamlio import load

    document = load((Path(__file__).parents[2] / "openapi" / "v2.yaml").read_text(encoding="utf-8"))
    assert list(access_errors(document)) == []


def test_access_errors_name_each_x_join_problem() -> None:
    good = {"authentication": "required", "roles": []}
    document = {"paths": {"/a/": {"post": {"x-access": good, "x-join": {"outcome": "maybe"}}}}}
    expected = "POST /a/: x-join.outcome: 'maybe' is not one of"
    assert [problem for problem in access_errors(document) if problem.startswith(expected)]
