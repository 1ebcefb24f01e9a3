"""The official JavaScript client, @selfcommunity/api-services, against a real reference server."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ReferenceServer

HERE = Path(__file__).parent
CLIENT_PACKAGE = HERE / "node_modules" / "@selfcommunity" / "api-services"

pytestmark = pytest.mark.node


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; install Node.js 20 to run the JavaScript client")
    if not CLIENT_PACKAGE.is_dir():
        pytest.skip(
            f"{CLIENT_PACKAGE} is missing; run `npm install --prefix tests/interop --no-audit --no-fund`"
        )
    return node


def _run_script(reference_server: ReferenceServer, script: str, prefix: str) -> list[dict[str, Any]]:
    """Run one lifecycle script with four fresh users' tokens; the JSON steps it printed."""
    node = _node()
    run_id = uuid.uuid4().hex[:8]
    tokens = {
        role: reference_server.token(f"{prefix}-{role}-{run_id}")
        for role in ("manager", "requester", "guest", "other")
    }
    completed = subprocess.run(
        [node, str(HERE / script)],
        cwd=HERE,
        env={"PATH": "/usr/bin:/bin", "CONTRACT_BASE_URL": reference_server.base_url,
             "CONTRACT_TOKENS": json.dumps(tokens)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, (
        f"{completed.stdout}\n{completed.stderr}\n{reference_server.log()[-3000:]}"
    )
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def test_lifecycle_through_the_official_client(reference_server: ReferenceServer) -> None:
    steps = _run_script(reference_server, "lifecycle.js", "js")
    assert [step["step"] for step in steps] == [
        "current users", "created", "requested", "invited and accepted", "invitation accepted",
        "invitation withdrawn", "left", "refusals", "done",
    ]  # fmt: skip
    assert steps[-2] == {
        "step": "refusals",
        "forbidden": 403,
        "missing": 404,
        "invalid": 400,
        "anonymous": 401,
    }


def test_group_lifecycle_through_the_official_client(reference_server: ReferenceServer) -> None:
    steps = _run_script(reference_server, "group_lifecycle.js", "js-group")
    assert [step["step"] for step in steps] == [
        "created", "requested", "invited and accepted", "invitation accepted", "subscribed by the manager",
        "removed by the manager", "left", "refusals", "done",
    ]  # fmt: skip
    assert steps[-2] == {"step": "refusals", "forbidden": 403, "missing": 404, "members": 403}


def test_course_lifecycle_through_the_official_client(reference_server: ReferenceServer) -> None:
    """CourseService: create, request, accept, invite, role change, removal with `user`, leave; its
    `statuses` list arrives comma-separated (URLSearchParams), which the server reads as a list."""
    steps = _run_script(reference_server, "course_lifecycle.js", "js-course")
    assert [step["step"] for step in steps] == [
        "created", "requested", "request accepted and guest invited", "invitation accepted", "role changed",
        "removed by a manager", "left", "refusals", "done",
    ]  # fmt: skip
    assert steps[0]["privacy"] == "private" and steps[1]["join_status"] == "requested"
    assert steps[-2] == {
        "step": "refusals", "creator_leaves": 403, "creator_unjoined": 400, "forbidden": 403, "missing": 404,
    }  # fmt: skip
