"""``python -m bench``: run the benchmarks, print a table, write JSON.

Numbers, with two exceptions that fail the run (exit status 1): the POST invite throughput of the
reference server against a stock no-op Connexion app on the same spec (bench.ab), on SQLite with one
worker and on PostgreSQL with two workers, each of which must stay at or above bench.ab.GUARD_RATIO.
``python -m bench --only invite-sqlite --only invite-postgres`` runs just those checks; the PostgreSQL
one needs a cluster ($CONTRACT_PG_URL, or the server binaries for a throwaway one) and is reported
as skipped, not passed, without one.
"""

from __future__ import annotations

import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from bench import ab, client_send, scenarios
from bench.databases import postgres_cluster, reference_on
from bench.load import wrk_available
from bench.report import machine, render, write_json
from testkit.reference import Reference

SCENARIOS = (
    "invite-sqlite",
    "invite-postgres",
    "invite-10k",
    "page-100k",
    "specgen",
    "conformance",
    "client-send",
)
Row = dict[str, Any]


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench/results.json"), show_default=True)
@click.option("--duration", type=float, default=10.0, show_default=True, help="Seconds of each load run.")
@click.option("--connections", type=int, default=32, show_default=True)
@click.option(
    "--rounds",
    type=int,
    default=3,
    show_default=True,
    help="Alternate rounds (reference, then no-op Connexion) of the POST invite comparison.",
)
@click.option("--only", multiple=True, type=click.Choice(SCENARIOS), help="Run only these (repeatable).")
def main(out: Path, duration: float, connections: int, rounds: int, only: tuple[str, ...]) -> None:
    """Benchmark the reference server, specgen and the conformance suite."""
    console = Console(width=140)
    chosen = set(only or SCENARIOS)
    rows: list[Row] = []
    failed: list[str] = []
    ratios: dict[str, float] = {}
    console.print(f"load generator: {'wrk' if wrk_available() else 'httpx (wrk not installed)'}")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, postgres_cluster() as (pg_url, pg_source):
        directory = Path(tmp)

        def reference(kind: str) -> AbstractContextManager[Reference]:
            return reference_on(kind, pg_url, directory)

        def on_sqlite(body: Callable[[Reference], list[Row]]) -> Callable[[], list[Row]]:
            return lambda: _on_sqlite(reference("sqlite"), body)

        def run(name: str, body: Callable[[], list[Row]]) -> None:
            if name not in chosen:
                return
            console.print(f"[bold]{name}[/bold] …")
            started = time.perf_counter()
            try:
                new_rows = body()
            except Exception as error:
                failed.append(name)
                console.print(traceback.format_exc(), markup=False)
                new_rows = [
                    {"name": name, "value": "failed", "details": f"{type(error).__name__}: {error}"[:300]}
                ]
            rows.extend(new_rows)
            console.print(f"  done in {time.perf_counter() - started:.0f} s")

        def invite(kind: str, workers: int, *, guarded: bool) -> list[Row]:
            label = f"{kind}, {workers} worker(s), {connections} connections"
            bare, bare_row = scenarios.bare_throughput(
                workers=workers, connections=connections, duration_s=duration
            )
            with reference(kind) as ref:
                ratio, ab_rows = ab.invite_against_noop(
                    ref,
                    workers=workers,
                    connections=connections,
                    duration_s=duration,
                    rounds=rounds,
                    label=label,
                    guarded=guarded,
                )
            if guarded:
                ratios[f"POST invite, {label}"] = ratio
            measured = ab_rows[0]["raw"]["rps"]
            return [*ab_rows, bare_row, scenarios.ratio_row(measured, bare.rps, label)]

        # The guards: SQLite with one worker, PostgreSQL with two (where a team that outgrows one
        # process goes).
        run("invite-sqlite", lambda: invite("sqlite", 1, guarded=True))
        if pg_url:
            run("invite-postgres", lambda: invite("postgres", 2, guarded=True))
        elif "invite-postgres" in chosen:
            rows.append({"name": "POST invite, postgres", "value": "skipped", "details": pg_source})
        with_reference: dict[str, Callable[[Reference], list[Row]]] = {
            "invite-10k": lambda ref: [scenarios.invite_10k(ref)],
            "page-100k": scenarios.page_of_100k,
            "conformance": lambda ref: [scenarios.conformance_quick(ref)],
        }
        for name, body in with_reference.items():
            run(name, on_sqlite(body))
        run("specgen", lambda: [scenarios.specgen_build()])
        run("client-send", lambda: [client_send.client_send_row()])

    info = {**machine(), "postgres": pg_source, "load_generator": "wrk" if wrk_available() else "httpx"}
    render(rows, info, console)
    write_json(out, rows, info)
    console.print(f"results written to {out}")
    if failed:
        raise click.ClickException(f"benchmarks that crashed: {', '.join(failed)}")
    if too_slow := ab.guard_failures(ratios):
        raise click.ClickException("performance regression:\n" + "\n".join(too_slow))


def _on_sqlite(
    reference: AbstractContextManager[Reference], body: Callable[[Reference], list[Row]]
) -> list[Row]:
    with reference as ref:
        return body(ref)


if __name__ == "__main__":
    main()
