"""The command line as an operator uses it: token, seed, serve, database selection, start-up refusals."""

from __future__ import annotations

import copy
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import yaml

from reference_impl.settings import DATABASE_URL_ENV, SPEC_PATH, SPEC_PATH_ENV
from testkit.processes import REPO_ROOT, free_port, python_module
from tests.conftest import ReferenceServer, ReferenceServerFactory


def cli(
    *args: str, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in (DATABASE_URL_ENV, SPEC_PATH_ENV)}
    # Importable from any working directory, installed or not.
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), environment.get("PYTHONPATH")]))
    return subprocess.run(
        python_module("reference_impl", *args),
        cwd=cwd, env={**environment, **(env or {})}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def me(server: ReferenceServer, token: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/api/v2/user/me/", headers={"Authorization": f"Bearer {token}"})


def test_token_prints_a_working_token_last(reference_server: ReferenceServer) -> None:
    first = cli("token", "cli-alice", "--database", reference_server.database_url)
    again = cli("token", "cli-alice", "--database", reference_server.database_url)
    assert first.returncode == again.returncode == 0, first.stderr
    tokens = [run.stdout.strip().splitlines()[-1] for run in (first, again)]
    answers = [me(reference_server, token) for token in tokens]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json()["username"] == "cli-alice"
    assert answers[0].json()["id"] == answers[1].json()["id"]  # the same user, not a second one


def test_token_expires_in(reference_server: ReferenceServer) -> None:
    run = cli("token", "cli-short", "--database", reference_server.database_url, "--expires-in", "90")
    claims = jwt.decode(run.stdout.splitlines()[-1], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 90
    assert jwt.get_unverified_header(run.stdout.splitlines()[-1])["alg"] == "HS256"


def test_fixture_token_uses_the_cli(reference_server: ReferenceServer) -> None:
    response = me(reference_server, reference_server.token("fixture-user"))
    assert response.status_code == 200
    assert response.json()["id"] == reference_server.user_id("fixture-user")


def test_seed_adds_users(tmp_path: Path) -> None:
    database = tmp_path / "seeded.sqlite3"
    run = cli("seed", "--users", "25", "--database", str(database))
    again = cli("seed", "--users", "5", "--database", str(database))
    assert run.returncode == again.returncode == 0, run.stderr
    with sqlite3.connect(database) as connection:
        names = [row[0] for row in connection.execute("SELECT username FROM users ORDER BY id")]
    assert names == [f"user{n}" for n in range(1, 31)]


def test_database_from_environment_and_default_file(tmp_path: Path) -> None:
    from_env = tmp_path / "from-env.sqlite3"
    assert cli("token", "env-user", env={DATABASE_URL_ENV: f"sqlite:///{from_env}"}).returncode == 0
    assert from_env.exists()
    assert cli("token", "default-user", cwd=tmp_path).returncode == 0
    assert (tmp_path / "reference.sqlite3").exists()


def test_unsupported_database_is_refused_cleanly(tmp_path: Path) -> None:
    run = cli("token", "x", "--database", "mysql://localhost/db")
    assert run.returncode != 0
    assert "Unsupported database" in run.stderr
    assert "Traceback" not in run.stderr


def test_several_workers(reference_server_factory: ReferenceServerFactory) -> None:
    server = reference_server_factory(workers=2)
    token = server.token("worker-user")
    with httpx.Client(base_url=server.base_url) as client:
        statuses = {client.get("/api/v2/user/me/", headers={"Authorization": f"Bearer {token}"}).status_code
                    for _ in range(20)}  # fmt: skip
    assert statuses == {200}
    assert server.log().count("Started server process") == 2


def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _invite_post(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/api/v2/event/{id}/invite/"]["post"]


def _unknown_role(spec: dict[str, Any]) -> None:
    _invite_post(spec)["x-access"]["roles"] = ["event_manager", "moderator"]


def _old_role_name(spec: dict[str, Any]) -> None:
    _invite_post(spec)["x-access"]["roles"] = ["manager"]


def _members_access(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/api/v2/event/{id}/subscribe/"]["get"]["x-access"]


def _info_access(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/api/v2/event/{id}/"]["get"]["x-access"]


def _unknown_attribute(spec: dict[str, Any]) -> None:
    _members_access(spec)["rules"][1]["when"]["resource"] = {"visibility": ["hidden"]}


def _impossible_attribute_value(spec: dict[str, Any]) -> None:
    _members_access(spec)["rules"][1]["when"]["resource"]["privacy"] = ["private", "secret"]


def _unknown_rule_option(spec: dict[str, Any]) -> None:
    _info_access(spec)["rules"][0]["when"]["option"] = {"friendship_mode": True}


def _unknown_operation_option(spec: dict[str, Any]) -> None:
    _info_access(spec)["options"] = {"groups_enabled": True}


def _option_of_another_type(spec: dict[str, Any]) -> None:
    _info_access(spec)["rules"][0]["when"]["option"] = {"content_availability": "no"}


def _unknown_condition(spec: dict[str, Any]) -> None:
    _info_access(spec)["rules"][0]["when"] = {"weekday": ["monday"]}


def _undeclared_param(spec: dict[str, Any]) -> None:
    leave = spec["paths"]["/api/v2/event/{id}/subscribe/"]["delete"]
    leave["x-access"]["rules"][0]["when"]["param"] = ["who"]


def _role_without_resource(spec: dict[str, Any]) -> None:
    spec["paths"]["/api/v2/event/"]["post"]["x-access"]["roles"] = ["event_manager"]


def _no_x_access(spec: dict[str, Any]) -> None:
    del _invite_post(spec)["x-access"]


def _security_disagrees(spec: dict[str, Any]) -> None:
    _invite_post(spec)["security"] = [{}, {"bearerAuth": []}]


def _unknown_level(spec: dict[str, Any]) -> None:
    _invite_post(spec)["x-access"]["authentication"] = "sometimes"


def _api_key(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["apiKey"] = {"type": "apiKey", "in": "header", "name": "X-Key"}
    _invite_post(spec)["security"] = [{"apiKey": []}]


def _no_operation_id(spec: dict[str, Any]) -> None:
    del _invite_post(spec)["operationId"]


def _no_handler(spec: dict[str, Any]) -> None:
    _invite_post(spec)["operationId"] = "inviteEveryone"


def _construct_not_enforced(spec: dict[str, Any]) -> None:
    _invite_post(spec)["x-access"]["all_roles"] = ["event_subscriber"]


def _unstorable_privacy(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Event"]["properties"]["privacy"]["enum"].append("secret")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_unknown_role, "unknown role(s) 'moderator'"),
        (_old_role_name, "unknown role(s) 'manager' in x-access.roles; this server knows event_manager"),
        (_unknown_attribute, "(getEventSubscribedUsers): unknown event attribute 'visibility'"),
        (_impossible_attribute_value, "lists 'secret', which the Event schema does not allow"),
        (_unknown_rule_option, "(getEventInfo): unknown community option 'friendship_mode'"),
        (_unknown_operation_option, "unknown community option 'groups_enabled' in x-access.options"),
        (_option_of_another_type, "community option content_availability is a bool, not 'no'"),
        # The shape of x-access is the contract core's to check (its JSON Schema); the server refuses with it.
        (_unknown_condition, "(getEventInfo): x-access.rules[0].when: Additional properties are not allowed"),
        (_undeclared_param, "(unsubscribeFromEvent): x-access.rules[0].when.param names 'who'"),
        (_role_without_resource, "(createAnEvent): role 'event_manager' needs a path of the form"),
        (_no_x_access, "no x-access extension"),
        (_security_disagrees, "security says authentication is optional but x-access says required"),
        (_unknown_level, "(inviteUsersToEvent): x-access.authentication: 'sometimes' is not one of"),
        (_no_handler, "inviteEveryone"),
        (
            _construct_not_enforced,
            "(inviteUsersToEvent): x-access uses all_roles, which this server does not",
        ),
        (_unstorable_privacy, "Event.privacy allows 'secret', which the tables (made from the shipped spec)"),
        (_api_key, "security scheme 'apiKey' is not an HTTP bearer scheme"),
        (_no_operation_id, "POST /api/v2/event/{id}/invite/ (no operationId): no operationId"),
    ],
)
def test_serve_refuses_specs_it_cannot_enforce(tmp_path: Path, mutate: Any, message: str) -> None:
    spec = copy.deepcopy(_spec())
    mutate(spec)
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    run = cli(
        "serve", "--port", str(free_port()), "--database", str(tmp_path / "db.sqlite3"),
        env={SPEC_PATH_ENV: str(path)},
    )  # fmt: skip
    assert run.returncode != 0
    assert message in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--community-option", "content_availability"], {}, "is not NAME=VALUE"),
        (["--community-option", "friendship_mode=true"], {}, "unknown community option 'friendship_mode'"),
        (["--community-option", "content_availability=maybe"], {}, "is true or false, not 'maybe'"),
        ([], {"CONTRACT_COMMUNITY_OPTIONS": "content_availability=0"}, "$CONTRACT_COMMUNITY_OPTIONS:"),
        ([], {"CONTRACT_COMMUNITY_OPTIONS": "content_availability=false,x"}, "'x' is not NAME=VALUE"),
    ],
)
def test_serve_refuses_invalid_community_options(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    run = cli("serve", "--port", str(free_port()), "--database", str(tmp_path / "db.sqlite3"), *args, env=env)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_serve_help_documents_community_options() -> None:
    run = cli("serve", "--help")
    assert "--community-option NAME=VALUE" in run.stdout
    assert "content_availability" in run.stdout and "default true" in run.stdout
