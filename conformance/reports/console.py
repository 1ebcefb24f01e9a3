"""The console: a live progress bar while checks run, then the verdict table and each failure's curl."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..catalog import Requirement
from ..runner import Result, RunResult, Verdict

STYLES = {Verdict.PASS: "green", Verdict.FAIL: "bold red", Verdict.OBSERVED: "cyan", Verdict.SKIPPED: "yellow"}


@contextmanager
def live_progress(console: Console, total: int) -> Iterator[tuple[Any, Any]]:
    """Callbacks for runner.run that drive a progress bar naming the requirement being checked."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("checking", total=total)

    def on_start(requirement: Requirement) -> None:
        progress.update(task, description=f"{requirement.id}: {requirement.title}")

    def on_result(result: Result) -> None:
        progress.advance(task)
        if result.verdict is Verdict.FAIL:
            progress.console.print(
                Text.assemble(("✗ ", "bold red"), (result.requirement.id, "bold"), f" {result.message[:150]}")
            )

    with progress:
        yield on_start, on_result


def verdict_table(run: RunResult) -> Table:
    table = Table(title=f"Conformance of {run.base_url} ({run.profile} profile, seed {run.seed})")
    table.add_column("Requirement", no_wrap=True)
    table.add_column("Level")
    table.add_column("Verdict")
    table.add_column("Time", justify="right")
    table.add_column("Notes", overflow="fold")
    for result in run.results:
        note = result.message if result.verdict is not Verdict.FAIL else result.message.split("\n")[0][:120]
        table.add_row(
            result.requirement.id,
            str(result.requirement.level),
            Text(str(result.verdict), style=STYLES[result.verdict]),
            f"{result.duration:.2f}s",
            note,
        )
    return table


def print_failure(console: Console, result: Result) -> None:
    """Header, message and each exchange; curl lines are printed unwrapped so they can be copied."""
    requirement = result.requirement
    console.rule(f"[bold red]{requirement.id}[/] [{requirement.level}] {requirement.title}", align="left")
    console.print(result.message, soft_wrap=True, markup=False, highlight=False)
    console.print(f"rule: {requirement.rule}", style="dim", soft_wrap=True, markup=False)
    console.print(f"sources: {', '.join(requirement.sources)}", style="dim", soft_wrap=True, markup=False)
    for exchange in result.exchanges:
        console.print()
        console.print(exchange.curl(), style="bold", soft_wrap=True, markup=False, highlight=False)
        console.print(exchange.response_summary(), style="dim", soft_wrap=True, markup=False, highlight=False)
    console.print()


def print_report(console: Console, run: RunResult) -> None:
    console.print(verdict_table(run))
    for result in run.results:
        if result.verdict is Verdict.FAIL:
            print_failure(console, result)
    summary = (
        f"{run.count(Verdict.PASS)} passed, {run.count(Verdict.FAIL)} failed, "
        f"{run.count(Verdict.OBSERVED)} observed, {run.count(Verdict.SKIPPED)} skipped "
        f"in {run.duration:.1f}s, {run.requests} requests"
    )
    if run.ok:
        console.print(f"[bold green]CONFORMS[/]: every MUST requirement holds. {summary}")
    else:
        failed = [r.requirement.id for r in run.results if r.blocking]
        console.print(f"[bold red]DOES NOT CONFORM[/]: MUST requirements not met: {', '.join(failed)}. {summary}")
