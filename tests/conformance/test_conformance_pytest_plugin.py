"""The same checks under pytest: one test per requirement with --base-url; nothing without it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from testkit.processes import REPO_ROOT
from tests.conformance.cli_runs import planned_ids
from tests.conftest import ReferenceServer


def run_pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    argv = [sys.executable, "-m", "pytest", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider",
            "--rootdir", str(directory), "-rA", *args, str(directory)]  # fmt: skip
    return subprocess.run(
        argv, cwd=directory, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_one_passing_test_per_requirement(
    reference_server: ReferenceServer, tokens: list[str], served: list[str], tmp_path: Path
) -> None:
    token_args = [part for token in tokens for part in ("--token", token)]
    families = [part for family in served for part in ("--conformance-family", family)]
    completed = run_pytest(
        tmp_path, "--base-url", reference_server.base_url, *token_args, "--conformance-seed", "5", *families,
        "--junit-xml", str(tmp_path / "junit.xml"), "--community-option", "content_availability=true",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-5000:]
    planned = planned_ids(*served)
    assert f"{len(planned)} passed" in completed.stdout
    for requirement_id in planned:  # one test per requirement and family: …::INV-ALL-IDS[group]
        assert re.search(rf"PASSED .*::{re.escape(requirement_id)}(\s|$)", completed.stdout, re.M), (
            requirement_id
        )
    assert "conformance: observed (MAY)" in completed.stdout
    assert "conformance: community options and readings" in completed.stdout
    assert "content_availability=true (stated)" in completed.stdout
    cases = ET.parse(tmp_path / "junit.xml").getroot().findall(".//testcase")
    assert sorted(case.get("name") for case in cases) == sorted(planned)


def test_family_option_restricts_the_items(
    reference_server: ReferenceServer, tokens: list[str], tmp_path: Path
) -> None:
    token_args = [part for token in tokens for part in ("--token", token)]
    completed = run_pytest(
        tmp_path, "--base-url", reference_server.base_url, *token_args, "--conformance-seed", "6",
        "--conformance-family", "group", "-k", "SUB-DIRECT or INV-ALL-IDS",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-5000:]
    passed = re.findall(r"^PASSED \S+::(\S+)", completed.stdout, re.M)
    assert sorted(passed) == sorted(
        rid for rid in planned_ids("group") if rid.startswith(("SUB-DIRECT", "INV-ALL-IDS"))
    )
    assert all(rid.endswith("[group]") for rid in passed) and len(passed) == 4


def test_inert_without_base_url(tmp_path: Path) -> None:
    (tmp_path / "test_own.py").write_text("def test_own():\n    assert True\n")
    completed = run_pytest(tmp_path)
    assert completed.returncode == 0, completed.stdout
    assert "1 passed" in completed.stdout
    assert "conformance" not in completed.stdout.replace("conformance.pytest_plugin", "")


def test_untestable_target_exits_2(tokens: list[str], tmp_path: Path) -> None:
    completed = run_pytest(tmp_path, "--base-url", "http://127.0.0.1:9", "--token", tokens[0])
    assert completed.returncode == 2, completed.stdout
    assert "needs at least 3 tokens" in completed.stdout


def test_bad_rate_limit_exits_2(tokens: list[str], tmp_path: Path) -> None:
    completed = run_pytest(
        tmp_path, "--base-url", "http://127.0.0.1:9", "--conformance-rate-limit", "fast",
        "--token", tokens[0], "--token", tokens[1], "--token", tokens[2],
    )  # fmt: skip
    assert completed.returncode == 2, completed.stdout
    assert "--conformance-rate-limit: 'fast' is not a rate limit" in completed.stdout
