"""Run the conformance CLI as its users do, against a toy server, and read its JSON report."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import REPO_ROOT, python_module

from .servers import TOKENS, toy_server

SEED = 1
RUN_TIMEOUT_S = 600


@dataclass(frozen=True)
class SuiteRun:
    """What one ``python -m conformance run`` said about one toy server."""

    options: tuple[str, ...]
    exit_code: int
    verdicts: dict[str, str]
    messages: dict[str, str]
    output: str
    readings: dict[str, str]

    def with_verdict(self, verdict: str) -> set[str]:
        return {rid for rid, seen in self.verdicts.items() if seen == verdict}

    def failed_by_level(self, level: str, levels: dict[str, str]) -> set[str]:
        return {rid for rid in self.with_verdict("fail") if levels.get(rid) == level}

    def explain(self) -> str:
        """Enough of the run to see why a test disagrees with it."""
        failures = "\n".join(
            f"  {rid}: {self.messages.get(rid, '')[:300]}" for rid in sorted(self.with_verdict("fail"))
        )
        toy = " ".join(self.options) or "(correct)"
        return f"toy {toy}: exit {self.exit_code}\nfailed:\n{failures}\n{self.output[-3000:]}"


def run_suite(
    *options: str, only: tuple[str, ...] = (), profile: str = "quick", suite_options: tuple[str, ...] = ()
) -> SuiteRun:
    """Start a toy server with ``options`` and run a conformance profile against it with every token.

    ``suite_options`` go to ``python -m conformance run`` (e.g. ``--community-option NAME=VALUE``).
    """
    with tempfile.TemporaryDirectory(prefix="selftest-") as directory, toy_server(*options) as server:
        report = Path(directory) / "report.json"
        argv = python_module("conformance", "run", "--base-url", server.base_url, "--profile", profile)
        argv += ["--seed", str(SEED), "--json", str(report)]
        for token in TOKENS:
            argv += ["--token", token]
        for requirement_id in only:
            argv += ["--only", requirement_id]
        argv += list(suite_options)
        finished = subprocess.run(
            argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
        )
        output = finished.stdout + finished.stderr
        body = json.loads(report.read_text()) if report.exists() else {"requirements": [], "readings": {}}
    requirements = body["requirements"]
    return SuiteRun(
        options=options,
        exit_code=finished.returncode,
        verdicts={r["id"]: r["verdict"] for r in requirements},
        messages={r["id"]: r.get("message") or "" for r in requirements},
        output=output,
        readings=dict(body.get("readings") or {}),
    )
