"""``python -m bench.fuzz``: Schemathesis against a freshly started reference server.

Two passes over every operation of openapi/v2.yaml: one with generated path ids (mostly unknown
events), one with ``id`` pinned to an event the token's user manages, so that generated bodies
reach validation and the database. The run fails on any 5xx or any response that breaks the spec.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import click
import httpx
from rich.console import Console
from rich.table import Table

from bench.databases import postgres_cluster, reference_on
from openapi import SPEC_PATH
from testkit.events import bearer, event_body
from testkit.processes import REPO_ROOT

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
LOGGED_REQUEST = re.compile(r"reference_impl\.requests: (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) ")


@dataclass(frozen=True)
class Pass:
    name: str
    config: str  # schemathesis.toml content


@dataclass
class PassResult:
    name: str
    exit_code: int
    generated: int
    failures: list[dict[str, object]]
    errors: list[dict[str, object]]


def run_pass(
    fuzz_pass: Pass, base_url: str, token: str, *, max_examples: int, seed: int, directory: Path
) -> PassResult:
    config = directory / f"{fuzz_pass.name}.toml"
    config.write_text(fuzz_pass.config)
    report = directory / f"{fuzz_pass.name}.json"
    argv = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", str(SPEC_PATH),
        "--url", base_url, "--header", f"Authorization: Bearer {token}",
        "--max-examples", str(max_examples), "--seed", str(seed), "--checks", ",".join(CHECKS),
        "--workers", "2", "--generation-database", "none", "--no-color",
        "--report", "json", "--report-json-path", str(report),
    ]  # fmt: skip
    completed = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True)
    (directory / f"{fuzz_pass.name}.out").write_text(completed.stdout + completed.stderr)
    if not report.exists():
        raise click.ClickException(
            f"schemathesis wrote no report:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    document = json.loads(report.read_text())
    return PassResult(
        fuzz_pass.name,
        completed.returncode,
        int(document["test_cases"]["generated"]),
        document["failures"],
        document["errors"],
    )


def server_statuses(log: str) -> Counter[int]:
    return Counter(int(match["status"]) for match in LOGGED_REQUEST.finditer(log))


@click.command()
@click.option("--max-examples", type=int, default=250, show_default=True, help="Per operation and pass.")
@click.option("--seed", type=int, default=None, help="Hypothesis seed (random when omitted).")
@click.option(
    "--database", "kind", type=click.Choice(["sqlite", "postgres"]), default="sqlite", show_default=True
)
@click.option("--workers", type=int, default=1, show_default=True, help="Server worker processes.")
@click.option("--keep", type=click.Path(path_type=Path), default=None, help="Keep reports and output here.")
def main(max_examples: int, seed: int | None, kind: str, workers: int, keep: Path | None) -> None:
    """Fuzz every operation; exit 1 on any 5xx or spec violation."""
    console = Console(width=140)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp, postgres_cluster() as (pg_url, pg_source):
        directory = keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        if kind == "postgres" and not pg_url:
            raise click.ClickException(f"no PostgreSQL: {pg_source}")
        with reference_on(kind, pg_url, directory) as reference:
            manager_id, member_id, _ = reference.seed(3)[:3]
            manager = reference.token(manager_id)
            with reference.server(workers=workers) as server:
                with httpx.Client(base_url=server.base_url, timeout=60) as client:
                    created = client.post(
                        "/api/v2/event/", json=event_body(private=True), headers=bearer(manager)
                    )
                    created.raise_for_status()
                    event = int(created.json()["id"])
                    client.post(
                        f"/api/v2/event/{event}/invite/", json={"users": [member_id]}, headers=bearer(manager)
                    )
                passes = [
                    Pass("generated-ids", ""),
                    Pass("managed-event", f'[parameters]\n"path.id" = {event}\n'),
                ]
                results = [
                    run_pass(
                        p, server.base_url, manager, max_examples=max_examples, seed=seed, directory=directory
                    )
                    for p in passes
                ]
                log = server.log_path.read_text(errors="replace")
                (directory / "server.log").write_text(log)
        if not report(
            console, results, server_statuses(log), title=f"{kind}, {workers} worker(s), seed {seed}"
        ):
            for result in results:
                if result.exit_code:
                    console.print((directory / f"{result.name}.out").read_text()[-4000:], markup=False)
            raise SystemExit(1)


def report(console: Console, results: list[PassResult], statuses: Counter[int], *, title: str) -> bool:
    """Print the figures; True when the run is clean."""
    table = Table(title=f"Schemathesis on the reference server ({title})")
    for column in ("pass", "test cases", "failures", "errors", "exit"):
        table.add_column(column)
    for result in results:
        failures = ", ".join(f"{f['title']} ×{f['count']}" for f in result.failures) or "0"
        errors = ", ".join(f"{e['title']} ×{e['count']}" for e in result.errors) or "0"
        table.add_row(result.name, f"{result.generated:,}", failures, errors, str(result.exit_code))
    console.print(table)
    where = Table(title="Failures by operation")
    for column in ("pass", "failure", "operations"):
        where.add_column(column, overflow="fold")
    for result in results:
        for failure in result.failures:
            operations = cast(list[str], failure["operations"])
            where.add_row(result.name, f"{failure['code']} {failure['title']}", "\n".join(operations))
    if where.row_count:
        console.print(where)
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    console.print(
        f"server: {sum(statuses.values()):,} requests; statuses "
        + ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items()))
    )
    console.print(f"5xx answers: {server_errors}")
    return not server_errors and not any(r.failures or r.errors or r.exit_code for r in results)


if __name__ == "__main__":
    main()
