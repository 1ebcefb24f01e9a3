"""A MUST whose check crashes fails the run in every report: CLI exit code, JUnit, JSON and the pytest plugin.

The crash is real: the check registered for AUTH-MISSING is replaced, in the suite's own process, by a
function that raises; the suite runs against the toy server (tests/selftest/toy).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from testkit.processes import REPO_ROOT, ServerProcess
from tests.selftest.servers import TOKENS, toy_server

CRASHING = "AUTH-MISSING"
# Replaces the check of CRASHING with one that raises, before the suite runs.
CRASH_PATCH = textwrap.dedent(f"""
    from conformance.checks import REGISTRY

    def crashing_check(ctx):
        raise KeyError("results")

    REGISTRY[{CRASHING!r}] = crashing_check
""")


@pytest.fixture(scope="module")
def toy() -> ServerProcess:
    with toy_server() as server:
        yield server


def run_python(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_crashing_must_fails_the_cli_run_and_its_reports(toy: ServerProcess, tmp_path: Path) -> None:
    token_args = [part for token in TOKENS[:3] for part in ("--token", token)]
    script = CRASH_PATCH + "\nfrom conformance.cli import main\nmain()\n"
    completed = run_python(
        ["-c", script, "run", "--base-url", toy.base_url, *token_args, "--seed", "1", "--only", CRASHING,
         "--family", "event",
         "--junit-xml", str(tmp_path / "junit.xml"), "--json", str(tmp_path / "report.json"),
         "--html", str(tmp_path / "report.html")],
        tmp_path,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "DOES NOT CONFORM" in output and "KeyError" in output

    report = json.loads((tmp_path / "report.json").read_text())
    (entry,) = report["requirements"]
    assert (entry["verdict"], entry["outcome"], entry["fails_run"]) == ("error", "errored", True)
    assert report["ok"] is False and report["exit_code"] == 1
    assert report["outcomes"]["errored"] == 1

    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("errors") == "1"
    (case,) = suite.findall("testcase")
    error = case.find("error")
    assert error is not None and "KeyError" in (error.get("message") or ""), ET.tostring(case)

    html = (tmp_path / "report.html").read_text()
    assert "Does not conform" in html and "fails the run" in html


def test_crashing_must_fails_under_the_pytest_plugin(toy: ServerProcess, tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CRASH_PATCH)
    token_args = [part for token in TOKENS[:3] for part in ("--token", token)]
    completed = run_python(
        ["-m", "pytest", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-rA", "--base-url", toy.base_url, *token_args,
         "--conformance-seed", "1", "-k", CRASHING, "--conformance-family", "event",
         "--junit-xml", str(tmp_path / "junit.xml"), str(tmp_path)],
        tmp_path,
    )  # fmt: skip
    assert completed.returncode == 1, completed.stdout[-3000:]
    assert re.search(rf"^FAILED \S*conformance::{re.escape(CRASHING)}\[event\] ", completed.stdout, re.M), (
        completed.stdout
    )
    assert "1 failed" in completed.stdout
    assert "not known to hold (error)" in completed.stdout and "KeyError" in completed.stdout
    cases = ET.parse(tmp_path / "junit.xml").getroot().findall(".//testcase")
    (case,) = [case for case in cases if case.get("name") == f"{CRASHING}[event]"]
    assert case.find("failure") is not None
