"""Run the conformance suite as its CLI does, against toy servers, and read its JSON report.

A run is the CLI's ``execute`` (what ``python -m conformance run`` calls after parsing its options) in the
test's process, not a child process: tests/conformance runs the CLI's own process, and here an interpreter
start and spec load per run would be a large share of the self-test's time. Hypothesis runs inside, so a
process makes one run at a time (the pytest-xdist workers are the parallelism).
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from conformance.cli import execute

from .servers import TOKENS, toy_server

SEED = 1


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
    cleanup: dict[str, Any] | None = None
    """What the end of the run deleted and left (the JSON report's `cleanup`)."""

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


@dataclass(frozen=True)
class Job:
    """One conformance run against a toy server: the toy's options and what the run is told."""

    options: tuple[str, ...] = ()
    """The toy's command-line options (``--fault NAME``, ``--variant NAME``, ``--users N``, ...)."""
    only: tuple[str, ...] = ()
    profile: str = "quick"
    families: tuple[str, ...] = ()
    community_options: tuple[str, ...] = ()
    """``NAME=VALUE`` settings the run states (``--community-option``)."""
    shrink_seconds: int | None = None
    """``--shrink-seconds``: None, the profile's budget; 0, a failing sequence is reported as found."""

    def run(self) -> SuiteRun:
        """Start the toy and run once, on the default seed."""
        with toy_server(*self.options) as server:
            return self.against(server.base_url)

    def against(self, base_url: str, seed: int = SEED) -> SuiteRun:
        """Run the suite against a toy already started with ``options``: the CLI's ``execute`` with every
        token, a JSON report and a captured console, in this process."""
        with tempfile.TemporaryDirectory(prefix="selftest-") as directory:
            report = Path(directory) / "report.json"
            output = io.StringIO()
            exit_code = execute(
                base_url,
                list(TOKENS),
                profile=self.profile,
                seed=seed,
                json_path=report,
                only=list(self.only) or None,
                console=Console(file=output, width=200),
                community_options=list(self.community_options),
                family_names=list(self.families),
                shrink_seconds=self.shrink_seconds,
            )
            body = json.loads(report.read_text()) if report.exists() else {"requirements": []}
        return suite_run(self.options, exit_code, body, output.getvalue(), seed)


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
        cleanup=body.get("cleanup"),
    )
