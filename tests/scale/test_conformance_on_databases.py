"""The conformance quick profile (every family) against the reference server with two workers on
PostgreSQL: several worker processes sharing one database, which is how the server is deployed there.
On SQLite, tests/conformance/test_conformance_cli.py makes the same run, against two workers too.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from testkit.processes import REPO_ROOT, python_module
from testkit.reference import Reference


@pytest.mark.parametrize("reference", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_quick_profile_conforms_with_two_workers(reference: Reference, tmp_path: Path) -> None:
    user_ids = reference.seed(3)
    report = tmp_path / "conformance.json"
    with reference.server(workers=2) as server:
        argv = python_module(
            "conformance", "run", "--base-url", server.base_url, "--profile", "quick", "--json", str(report)
        )
        for user_id in user_ids[:3]:
            argv += ["--token", reference.token(user_id)]
        completed = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, f"{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}"
    result = json.loads(report.read_text())
    failing = [(r["id"], r["message"]) for r in result["requirements"] if r["verdict"] == "fail"]
    assert result["ok"] and result["outcomes"]["failed"] == 0, failing
    assert result["outcomes"]["passed"] > 0 and result["requests"] > 0
    # Every membership family, each requirement for events, groups and courses, on this database.
    assert set(result["families"]) == {"event", "group", "course"}, result["families"]
    for family, share in result["families"].items():
        assert share["outcomes"]["failed"] == share["outcomes"]["errored"] == 0, (family, share)
        assert share["requirements"] > 60 and share["requests"] > 100, (family, share)
