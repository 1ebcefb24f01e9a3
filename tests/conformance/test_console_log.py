"""The console report in a log (stdout piped): one header line, one line per failure, then the table.

No progress display, no blank or stray wrapped lines (a message cut mid-word used to leave a line `sh`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from testkit.processes import REPO_ROOT
from tests.selftest.servers import TOKENS, toy_server

FAILING = ("INV-204", "INV-EMPTY-BODY")  # what the toy's status-200 fault breaks; both have long messages


def test_piped_console_has_one_line_per_failure_before_the_table(tmp_path: Path) -> None:
    token_args = [part for token in TOKENS[:3] for part in ("--token", token)]
    only = [part for requirement_id in (*FAILING, "AUTH-MISSING") for part in ("--only", requirement_id)]
    # A narrow log: every failure message is longer than a line.
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "60"}
    with toy_server("--fault", "status-200") as toy:
        completed = subprocess.run(
            [sys.executable, "-m", "conformance", "run", "--base-url", toy.base_url, *token_args, *only,
             "--seed", "1", "--family", "event", "--json", str(tmp_path / "report.json")],
            env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert completed.returncode == 1, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.strip().startswith("Conformance of"))
    header, *failure_lines = lines[:title]
    assert header.startswith("Testing ") and header.endswith("seed 1, families event"), header
    expected = [["✗", f"{requirement_id}[event]"] for requirement_id in FAILING]
    assert [line.split()[:2] for line in failure_lines] == expected, lines[: title + 1]
    assert all(len(line) <= 60 for line in failure_lines), failure_lines
    report = json.loads((tmp_path / "report.json").read_text())
    assert [r["requirement"] for r in report["requirements"] if r["fails_run"]] == list(FAILING)
    assert "sh" not in [line.strip() for line in lines], completed.stdout
