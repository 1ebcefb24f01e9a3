"""Server-wide behaviour: problem answers, no leaked tracebacks, request log, Swagger UI."""

from __future__ import annotations

import copy
import logging
import re
import time
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import text

from reference_impl import repository, settings, storage, tokens
from reference_impl.app import create_app
from reference_impl.settings import SPEC_PATH
from tests.conftest import ReferenceServer, ReferenceServerFactory
from tests.reference.conftest import EVENTS, PROBLEM_JSON, SpecClient, event_body


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 404),
        ("GET", "/api/v2/events/", 404),
        ("GET", "/api/v2/event/1/nonsense/", 404),
        ("PUT", "/api/v2/event/1/invite/", 405),
        ("PATCH", "/api/v2/user/me/", 405),
    ],
)
def test_routing_errors_are_problems(api: SpecClient, method: str, path: str, status: int) -> None:
    response = api.request(method, path, user="routing-user")
    assert response.status_code == status
    assert response.json()["status"] == status


def test_every_request_is_logged_once(api: SpecClient, reference_server: ReferenceServer) -> None:
    marker = f"/api/v2/event/{time.time_ns()}/status/"
    api.get(marker, user="log-user")
    deadline = time.monotonic() + 5
    while marker not in reference_server.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [line for line in reference_server.log().splitlines() if marker in line]
    assert len(lines) == 1
    assert re.search(rf"GET {re.escape(marker)} 404 \d+\.\dms$", lines[0])


def test_the_server_runs_the_layers_asked_for(reference_server: ReferenceServer) -> None:
    """``tox -e stock-connexion`` sets $CONTRACT_STOCK_CONNEXION: its servers run Connexion's own layers."""
    log = reference_server.process.log_path.read_text(errors="replace")
    announced = "stock Connexion: its own UI, request validation and handler layers" in log
    assert announced == settings.stock_connexion()


def test_swagger_ui_and_spec_are_served(reference_server: ReferenceServer) -> None:
    ui = httpx.get(f"{reference_server.base_url}/api/v2/ui/")
    assert ui.status_code == 200
    assert "/api/v2/openapi.json" in ui.text
    served = httpx.get(f"{reference_server.base_url}/api/v2/openapi.json").json()
    shipped = yaml.safe_load(SPEC_PATH.read_text())["paths"]
    # Every family of the shipped spec is stored (events, groups, courses): every path is served.
    assert any(path.startswith("/api/v2/course/") for path in shipped)
    assert served["paths"].keys() == shipped.keys()
    log = reference_server.process.log_path.read_text(errors="replace")
    assert "not serving" not in log


def _with_teams(path: Path) -> Path:
    """The shipped spec plus a family this server has no tables for: the group paths at /api/v2/team/."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    for path_name, item in list(spec["paths"].items()):
        if path_name.startswith("/api/v2/group/"):
            team = copy.deepcopy(item)
            for operation in team.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = operation["operationId"].replace("Group", "Team")
            spec["paths"][path_name.replace("/group/", "/team/")] = team
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def test_a_family_it_does_not_store_is_named_at_start_and_not_routed(
    reference_server_factory: ReferenceServerFactory, tmp_path: Path
) -> None:
    """A spec that documents a family this server has no tables for (teams, below): it starts, says so in one
    line naming their operations, and answers their paths 404 as paths it does not serve."""
    server = reference_server_factory(env={settings.SPEC_PATH_ENV: str(_with_teams(tmp_path / "teams.yaml"))})
    log = server.process.log_path.read_text(errors="replace")
    [line] = [line for line in log.splitlines() if "not serving" in line]
    assert "not serving the team family (no storage for it): createATeam, getTeamInfo" in line
    assert "Event" not in line and "Group" not in line and "Course" not in line
    answer = httpx.post(f"{server.base_url}/api/v2/team/", json={"name": "x", "privacy": "public"})
    assert answer.status_code == 404
    served = httpx.get(f"{server.base_url}/api/v2/openapi.json").json()["paths"]
    assert not any(path.startswith("/api/v2/team/") for path in served)
    assert "/api/v2/course/{id}/role/" in served


def test_internal_errors_answer_a_generic_problem_and_log_the_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database_url = f"sqlite:///{tmp_path / 'broken.sqlite3'}"
    app = create_app(database_url)
    engine = storage.make_engine(database_url)
    with engine.begin() as connection:
        user = repository.get_or_create_user(connection, "alice")
        event = repository.create_event(connection, {"name": "x", "privacy": "public"}, user.id)
        # A server-side fault: the table the status query needs has gone.
        connection.execute(text("DROP TABLE memberships"))
    token = tokens.issue(storage.signing_secret(engine), user.id)
    engine.dispose()
    with caplog.at_level(logging.ERROR), app.test_client() as client:
        response = client.get(f"{EVENTS}{event}/status/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["detail"] == "The server failed to handle this request; the error has been logged."
    assert "memberships" not in response.text
    assert any("no such table: memberships" in (record.exc_text or "") for record in caplog.records)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v2/event/1/invite/", "DELETE, GET, POST"),
        ("/api/v2/user/me/", "GET"),
        ("/api/v2/event/", "POST"),
    ],
)
def test_405_lists_the_documented_methods(api: SpecClient, path: str, allowed: str) -> None:
    response = api.request("PATCH", path, user="allow-user")
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


def test_object_fields_in_a_form_are_400(api: SpecClient) -> None:
    body = {key: str(value) for key, value in event_body().items()} | {"managed_by": "null"}
    response = api.post(EVENTS, user="form-user", files=[(key, (None, value)) for key, value in body.items()])
    assert response.status_code == 400
