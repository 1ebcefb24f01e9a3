"""Run the conformance CLI as its users do, against a toy server, and read its JSON report."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from conformance.cli import execute
from testkit.processes import REPO_ROOT, python_module

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
    seed: int = SEED
    families: tuple[str, ...] = ()
    """The families the run checked; with one, `verdicts` and `messages` are keyed by catalog id."""

    def with_verdict(self, verdict: str) -> set[str]:
        return {rid for rid, seen in self.verdicts.items() if seen == verdict}

    def failed_by_level(self, level: str, levels: dict[str, str]) -> set[str]:
        return {rid for rid in self.with_verdict("fail") if levels.get(rid) == level}

    def explain(self) -> str:
        """Enough of the run to see why a test disagrees with it."""
        not_held = self.with_verdict("fail") | self.with_verdict("error")
        failures = "\n".join(f"  {rid}: {self.messages.get(rid, '')[:300]}" for rid in sorted(not_held))
        toy = " ".join(self.options) or "(correct)"
        head = f"toy {toy}, seed {self.seed}: exit {self.exit_code}"
        return f"{head}\nfailed:\n{failures}\n{self.output[-3000:]}"


def run_suite(
    *options: str, only: tuple[str, ...] = (), profile: str = "quick", suite_options: tuple[str, ...] = ()
) -> SuiteRun:
    """Start a toy server with ``options`` and run a conformance profile against it with every token.

    ``suite_options`` go to ``python -m conformance run`` (e.g. ``--community-option NAME=VALUE``).
    """
    with toy_server(*options) as server:
        return _run_cli(server.base_url, options, only, profile, SEED, suite_options)


def run_suite_seeds(
    *options: str, only: tuple[str, ...] = (), profile: str = "quick", seeds: tuple[int, ...] = (SEED,)
) -> list[SuiteRun]:
    """One toy server with ``options``, one conformance run per seed (each run makes its own events)."""
    with toy_server(*options) as server:
        return [_run_cli(server.base_url, options, only, profile, seed, ()) for seed in seeds]


def run_suite_seeds_in_process(
    *options: str,
    only: tuple[str, ...],
    profile: str,
    seeds: tuple[int, ...],
    families: tuple[str, ...] = (),
) -> list[SuiteRun]:
    """As ``run_suite_seeds``, but each run is the CLI's ``execute`` in this process (no start-up cost).

    Not thread-safe (Hypothesis runs inside): call it from one thread at a time.
    """
    runs = []
    with toy_server(*options) as server, tempfile.TemporaryDirectory(prefix="selftest-") as directory:
        for seed in seeds:
            report = Path(directory) / f"report-{seed}.json"
            output = io.StringIO()
            exit_code = execute(
                server.base_url,
                list(TOKENS),
                profile=profile,
                seed=seed,
                json_path=report,
                only=list(only) or None,
                console=Console(file=output, width=200),
                family_names=list(families),
            )
            body = json.loads(report.read_text()) if report.exists() else {"requirements": []}
            runs.append(suite_run(options, exit_code, body, output.getvalue(), seed))
    return runs


def suite_run(
    options: tuple[str, ...], exit_code: int, body: dict[str, Any], output: str, seed: int
) -> SuiteRun:
    """A run from its JSON report. A run of one family keys its results by catalog id (`INV-204`), so
    expectations read alike for every family; a run of several keys them by instance (`INV-204[group]`)."""
    requirements = body["requirements"]
    families = tuple(family for family in body.get("families", {}) if family != "none")
    key = "requirement" if len(families) == 1 else "id"
    return SuiteRun(
        options=options,
        exit_code=exit_code,
        verdicts={r[key]: r["verdict"] for r in requirements},
        messages={r[key]: r.get("message") or "" for r in requirements},
        output=output,
        readings=dict(body.get("readings") or {}),
        seed=seed,
        families=families,
    )


def _run_cli(
    base_url: str,
    options: tuple[str, ...],
    only: tuple[str, ...],
    profile: str,
    seed: int,
    suite_options: tuple[str, ...],
) -> SuiteRun:
    with tempfile.TemporaryDirectory(prefix="selftest-") as directory:
        report = Path(directory) / "report.json"
        argv = python_module("conformance", "run", "--base-url", base_url, "--profile", profile)
        argv += ["--seed", str(seed), "--json", str(report)]
        for token in TOKENS:
            argv += ["--token", token]
        for requirement_id in only:
            argv += ["--only", requirement_id]
        argv += list(suite_options)
        finished = subprocess.run(
            argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
        )
        output = finished.stdout + finished.stderr
        body = json.loads(report.read_text()) if report.exists() else {"requirements": []}
    return suite_run(options, finished.returncode, body, output, seed)
