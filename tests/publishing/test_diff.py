"""``publishing diff``: every rule on a mutated copy of the spec, exit codes and output formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from publishing.diff import RULES, compare
from tests.publishing.conftest import publish, write_spec
from tests.publishing.mutations import CASES, Case, body_schemas


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_reports_the_change(case: Case, base_spec: dict[str, Any]) -> None:
    old, new = case.pair(base_spec)
    changes = compare(old, new)
    if case.rule is None:
        assert changes == []
        return
    matching = [change for change in changes if change.rule == case.rule]
    assert matching, f"{case.rule} not reported; got {[c.rule for c in changes]}"
    assert all(change.breaking == case.breaking for change in matching)
    assert any(change.breaking for change in changes) == case.breaking, [c.message for c in changes]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_both_versions_are_valid_openapi(case: Case, base_spec: dict[str, Any]) -> None:
    """Other checkers refuse invalid documents: the pairs must stay valid to be compared."""
    for version in case.pair(base_spec):
        validate(version)


def test_every_rule_has_a_case() -> None:
    assert set(RULES) - {case.rule for case in CASES} == set()


def test_rule_ids_are_unique_and_documented() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.summary, f"{rule_id} has no docstring"


def test_same_spec_has_no_changes(base_spec: dict[str, Any]) -> None:
    assert compare(base_spec, base_spec) == []


def test_message_names_the_place_and_both_types(base_spec: dict[str, Any]) -> None:
    case = next(c for c in CASES if c.name == "request item type changed (integer → string)")
    [change] = compare(*case.pair(base_spec))
    assert change.operation is not None and "inviteUsersToEvent" in change.operation
    assert "users[]" in change.location
    assert "integer" in change.message and "string" in change.message


def _pair_files(tmp_path: Path, base: dict[str, Any], case_name: str) -> tuple[Path, Path]:
    case = next(c for c in CASES if c.name == case_name)
    old, new = case.pair(base)
    return write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new)


def test_cli_exits_1_and_explains_a_break(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    old = write_spec(tmp_path / "old.yaml", base_spec)
    new_spec = json.loads(json.dumps(base_spec))
    for schema in body_schemas(new_spec, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"] = {"type": "string"}
    new = write_spec(tmp_path / "new.yaml", new_spec)
    result = publish("diff", old, new)
    assert result.returncode == 1, result.stderr
    assert "BREAKING [type-changed]" in result.stdout
    assert "request body users[] type changed from integer to string" in result.stdout


def test_cli_exits_0_for_non_breaking_changes(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    old, new = _pair_files(tmp_path, base_spec, "optional query parameter added")
    result = publish("diff", old, new)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[parameter-added-optional]" in result.stdout
    assert "0 breaking, 1 non-breaking" in result.stdout


def test_cli_json_format(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    old, new = _pair_files(tmp_path, base_spec, "role added")
    result = publish("diff", old, new, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["breaking"] == 1 and report["non_breaking"] == 0
    [change] = report["changes"]
    assert change["rule"] == "roles-added" and change["breaking"] is True
    assert "getSubscriptionStatus" in change["operation"]


def test_cli_markdown_format(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    old, new = _pair_files(tmp_path, base_spec, "success status changed (204 → 200)")
    result = publish("diff", old, new, "--format", "markdown")
    assert result.returncode == 1
    assert "## Breaking changes" in result.stdout
    assert "| `success-status-changed` |" in result.stdout
    assert "## Non-breaking changes" not in result.stdout


def test_cli_unreadable_input_exits_2(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    good = write_spec(tmp_path / "good.yaml", base_spec)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n", encoding="utf-8")
    result = publish("diff", good, broken)
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "Traceback" not in result.stderr
    missing = publish("diff", good, tmp_path / "absent.yaml")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.parametrize("command", ["diff", "docs", "markdown"])
def test_invalid_openapi_is_reported_not_crashed_on(
    command: str, tmp_path: Path, base_spec: dict[str, Any]
) -> None:
    broken = json.loads(json.dumps(base_spec))
    broken["paths"]["/api/v2/user/me/"] = []
    bad = write_spec(tmp_path / "bad.yaml", broken)
    argv = {
        "diff": ["diff", bad, write_spec(tmp_path / "good.yaml", base_spec)],
        "docs": ["docs", "--spec", bad, "--out", tmp_path / "site"],
        "markdown": ["markdown", "--spec", bad, "--out", tmp_path / "pages"],
    }[command]
    result = publish(*argv)
    assert result.returncode == 2
    assert "not a valid OpenAPI document" in result.stderr and "/api/v2/user/me/" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["diff", "docs", "markdown"])
def test_malformed_x_access_is_reported_not_crashed_on(
    command: str, tmp_path: Path, base_spec: dict[str, Any]
) -> None:
    broken = json.loads(json.dumps(base_spec))
    broken["paths"]["/api/v2/user/me/"]["get"]["x-access"] = {"authentication": "maybe", "roles": []}
    bad = write_spec(tmp_path / "bad.yaml", broken)
    argv = {
        "diff": ["diff", write_spec(tmp_path / "good.yaml", base_spec), bad],
        "docs": ["docs", "--spec", bad, "--out", tmp_path / "site"],
        "markdown": ["markdown", "--spec", bad, "--out", tmp_path / "pages"],
    }[command]
    result = publish(*argv)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "GET /api/v2/user/me/: x-access.authentication: 'maybe' is not one of" in result.stderr
    assert "Traceback" not in result.stderr
