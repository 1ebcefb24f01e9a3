"""A family the catalog's rules cannot be checked on is found, left out, and said to be.

The catalog's rules create a resource anyone joins at once and one whose joining needs approval, and they
read each user's state. The spec says, for each family, which `privacy` values mean that (the x-access of
its info, the x-join of its join), which words its status uses for the states, and what each operation
answers on success. Courses (in the shipped spec) say all of it, their join's 200 with the course included:
they are checked. Teams (below: the group pages at /api/v2/team/, with the course values and no x-join) do
not say which value means what; a family whose status names a state in words the kit does not know is not
read either. Checking such a family anyway would fail a conforming server on its first step; leaving it
out silently would pass one that breaks its rules. So every report names the family and the reason.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.runner import plan, select
from conformance.target import Target
from openapi import SPEC_PATH
from openapi.document import Spec
from openapi.families import families, outside_catalog
from testkit.reference import ReferenceServer
from tests.conformance.cli_runs import run_cli, token_args

COURSE_PRIVACY = ["", "open", "private", "secret"]
TEAM_REASON = "its `privacy` takes '', 'open', 'private', 'secret', and the spec does not say which of them"


def with_teams(path: Path) -> Path:
    """The packaged spec plus a team family: the group paths at /api/v2/team/, creating a `Team` whose
    `privacy` takes the course values, and a join that says nothing about what joining does."""
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    for path_name, item in list(spec["paths"].items()):
        if path_name.startswith("/api/v2/group/"):
            team = copy.deepcopy(item)
            for operation in team.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = operation["operationId"].replace("Group", "Team")
                    operation.pop("x-join", None)
            spec["paths"][path_name.replace("/group/", "/team/")] = team
    create = spec["paths"]["/api/v2/team/"]["post"]
    for media in create["requestBody"]["content"].values():
        name = media["schema"]["$ref"].rsplit("/", 1)[-1]
        team_schema = copy.deepcopy(schemas[name])
        team_schema["properties"]["privacy"]["enum"] = COURSE_PRIVACY
        schemas[f"Team{name}"] = team_schema
        media["schema"] = {"$ref": f"#/components/schemas/Team{name}"}
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_courses_are_checked() -> None:
    """Their join answers 200 with the course: the requirements read each operation's documented success."""
    spec = Spec(SPEC_PATH)
    assert [family.name for family in families(spec)] == ["event", "course", "group"]
    assert outside_catalog(spec) == {}
    planned = [requirement for requirement in plan(spec, families(spec)) if requirement.family == "course"]
    assert {"INV-204[course]", "MODEL-STATEFUL[course]", "SUB-JOIN-ANSWER[course]"} <= {r.id for r in planned}
    assert [family.name for family in select(spec, ["course"])] == ["course"]


def with_unknown_state(path: Path) -> Path:
    """The packaged spec whose group status also answers `banned`, a word the kit gives no meaning."""
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    status = spec["paths"]["/api/v2/group/{id}/status/"]["get"]["responses"]["200"]
    status["content"]["application/json"]["schema"]["properties"]["status"]["enum"].insert(0, "banned")
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_a_family_whose_states_the_kit_cannot_read_is_not_checked(tmp_path: Path) -> None:
    spec = Spec(with_unknown_state(tmp_path / "banned.yaml"))
    assert [family.name for family in families(spec)] == ["event", "course"]
    reason = outside_catalog(spec)["group"]
    assert reason.startswith("its status (GET /api/v2/group/{id}/status/) names the state(s) 'banned'"), (
        reason
    )
    with pytest.raises(ValueError, match="cannot check the group family: its status"):
        select(spec, ["group"])


def test_a_family_whose_privacy_the_spec_does_not_explain_is_not_checked(tmp_path: Path) -> None:
    spec = Spec(with_teams(tmp_path / "teams.yaml"))
    assert [family.name for family in families(spec)] == ["event", "course", "group"]
    reason = outside_catalog(spec)["team"]
    assert reason.startswith(TEAM_REASON), reason
    assert "lets anyone see a resource and join it at once nor which makes joining a request" in reason
    with pytest.raises(ValueError, match="cannot check the team family: its `privacy` takes ''"):
        select(spec, ["team"])


def test_asking_for_it_is_untestable(tmp_path: Path) -> None:
    teams = with_teams(tmp_path / "teams.yaml")
    completed = run_cli("run", "--base-url", "http://127.0.0.1:9", "--spec", str(teams),
                        "--family", "team", "--token", "a", "--token", "b", "--token", "c")  # fmt: skip
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "cannot check the team family" in completed.stdout


def test_every_report_names_it(tmp_path: Path, reference_server: ReferenceServer, tokens: list[str]) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    teams = with_teams(tmp_path / "teams.yaml")
    completed = run_cli("run", "--base-url", reference_server.base_url, "--spec", str(teams),
                        "--only", "AUTH-MISSING", "--family", "event", "--family", "group",
                        "--json", str(report), "--junit-xml", str(junit), *token_args(tokens))  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Family team not checked: its `privacy` takes" in completed.stdout
    body = json.loads(report.read_text())
    assert list(body["families"]) == ["event", "group"]
    assert body["families_not_checked"]["team"].startswith(TEAM_REASON)
    assert 'name="family_not_checked.team"' in junit.read_text()


def test_a_family_with_values_of_its_own_is_created_with_them(tmp_path: Path) -> None:
    """Values the spec explains are the family's own: the suite sends them for the catalog's words."""
    text = with_teams(tmp_path / "teams.yaml").read_text(encoding="utf-8")
    spec_raw: dict[str, Any] = yaml.safe_load(text)
    join = spec_raw["paths"]["/api/v2/team/{id}/subscribe/"]["post"]
    join["x-join"] = {
        "outcome": "join",
        "rules": [{"when": {"resource": {"privacy": ["private", "secret"]}}, "outcome": "request"}],
    }
    spec = Spec(tmp_path / "teams.yaml", spec_raw)
    team = next(family for family in families(spec) if family.name == "team")
    assert (team.open_privacy, team.approval_privacy) == ("", "private")  # the first value of each kind
    target = Target(client=None, spec=spec, users=[])  # type: ignore[arg-type]  # no request is sent
    assert target.resource_body(team.op("create"), "public")["privacy"] == ""
    assert target.resource_body(team.op("create"), "private")["privacy"] == "private"
    group = next(family for family in families(spec) if family.name == "group")
    assert target.resource_body(group.op("create"), "public")["privacy"] == "public"
