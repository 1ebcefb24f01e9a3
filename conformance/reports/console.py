"""The console: a live progress bar while checks run, then the verdict table and each failure's curl.

The console's output is masked as it is written (`mask_console`): whatever a check quoted, no token
reaches a terminal or a CI log.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from openapi.catalog import Requirement

from ..cleanup import Cleanup
from ..credentials import SHOWN_NOTICE, Credentials
from ..options import settings_lines
from ..runner import Outcome, Result, RunResult

# Logs (CI) have no width of their own: rich would assume 80 columns and wrap every note of the table.
LOG_WIDTH = 120

STYLES = {
    Outcome.PASSED: "green",
    Outcome.FAILED: "bold red",
    Outcome.WARNED: "bold yellow",
    Outcome.OBSERVED: "cyan",
    Outcome.SKIPPED: "yellow",
    Outcome.ERRORED: "bold magenta",
}


class MaskedFile(io.TextIOBase):
    """A text file that masks the run's tokens in everything written to it; the rest is its file's."""

    def __init__(self, file: IO[str], credentials: Credentials) -> None:
        super().__init__()
        self.file = file
        self.credentials = credentials

    def write(self, text: str) -> int:
        self.file.write(self.credentials.mask(text))
        return len(text)

    def flush(self) -> None:
        self.file.flush()

    def isatty(self) -> bool:
        return self.file.isatty()

    def fileno(self) -> int:
        return self.file.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.file, "encoding", None) or "utf-8")


def mask_console(console: Console, credentials: Credentials) -> None:
    """From now on, `console` writes through `credentials.mask`."""
    file = console.file
    while isinstance(file, MaskedFile):
        file = file.file
    console.file = cast(IO[str], MaskedFile(file, credentials))  # a TextIOBase: what rich writes to


@contextmanager
def masked_stdio(credentials: Credentials) -> Iterator[None]:
    """`sys.stdout` and `sys.stderr` masked in the block: what a library prints on its own (a Hypothesis
    report, a warning) holds no token either."""
    saved = sys.stdout, sys.stderr
    sys.stdout = cast(IO[str], MaskedFile(sys.stdout, credentials))
    sys.stderr = cast(IO[str], MaskedFile(sys.stderr, credentials))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def make_console() -> Console:
    """The report's console: a terminal's own width; in a log, at least LOG_WIDTH unless COLUMNS says."""
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = max(console.width, LOG_WIDTH)
    return console


def print_failure_line(console: Console, result: Result) -> None:
    """One line per requirement that fails the run, as it happens: id and the first line of the message.

    Never wrapped (a log shows exactly one line each, cut with an ellipsis at the console's width);
    the whole message comes with the report.
    """
    first_line = result.message.split("\n", 1)[0]
    text = Text.assemble(("✗ ", "bold red"), (result.requirement.id, "bold"), f" {first_line}")
    console.print(text, no_wrap=True, overflow="ellipsis", crop=True)


@contextmanager
def live_progress(console: Console, total: int) -> Iterator[tuple[Any, Any]]:
    """Callbacks for runner.run: a progress bar on a terminal; in a log, only the failure lines.

    rich's progress display is meant for terminals: elsewhere it adds nothing a reader needs (and prints
    a blank line when it stops), so a log gets just one line per failing requirement.
    """
    if not console.is_terminal:

        def log_result(result: Result) -> None:
            if result.blocking:
                print_failure_line(console, result)

        yield (lambda requirement: None), log_result
        return
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
        progress.update(task, description=escape(f"{requirement.id}: {requirement.title}"))

    def on_result(result: Result) -> None:
        progress.advance(task)
        if result.blocking:
            print_failure_line(progress.console, result)

    with progress:
        yield on_start, on_result


def verdict_table(run: RunResult, width: int) -> Table:
    """One line per requirement within `width` columns; notes longer than their column end in an ellipsis."""
    rows = [
        (
            Text(result.requirement.id),
            str(result.requirement.level),
            Text(str(result.outcome), style=STYLES[result.outcome]),
            f"{result.duration:.2f}s",
            result.message.split("\n")[0],
        )
        for result in run.results
    ]
    headers = ("Requirement", "Level", "Outcome", "Time")
    fixed = sum(max([len(header), *(len(str(row[i])) for row in rows)]) for i, header in enumerate(headers))
    borders = 6 + 2 * 5  # six rules and one space each side of five cells
    families = f", families {', '.join(run.families)}" if run.families else ""
    table = Table(title=f"Conformance of {run.base_url} ({run.profile} profile, seed {run.seed}{families})")
    for header in headers:
        table.add_column(header, no_wrap=True, justify="right" if header == "Time" else "left")
    table.add_column("Notes", no_wrap=True, overflow="ellipsis", max_width=max(20, width - fixed - borders))
    for row in rows:
        table.add_row(*row)
    return table


def print_failure(console: Console, result: Result) -> None:
    """Header, message and each exchange; curl lines are printed unwrapped so they can be copied."""
    requirement = result.requirement
    console.rule(
        Text.assemble((requirement.id, "bold red"), f" [{requirement.level}] {requirement.title}"),
        align="left",
    )
    console.print(result.message, soft_wrap=True, markup=False, highlight=False)
    console.print(f"rule: {requirement.rule}", style="dim", soft_wrap=True, markup=False)
    console.print(f"sources: {', '.join(requirement.sources)}", style="dim", soft_wrap=True, markup=False)
    for exchange in result.exchanges:
        console.print()
        console.print(exchange.curl(), style="bold", soft_wrap=True, markup=False, highlight=False)
        console.print(exchange.response_summary(), style="dim", soft_wrap=True, markup=False, highlight=False)
    console.print()


def print_notes(console: Console, run: RunResult) -> None:
    """The whole text of each observation and skip: the table keeps one line per requirement."""
    noted = [r for r in run.results if not r.blocking and r.outcome is not Outcome.PASSED and r.message]
    if not noted:
        return
    console.print()
    for result in noted:
        console.print(
            Text.assemble(
                (result.requirement.id, "bold"),
                (f" {result.outcome}: ", STYLES[result.outcome]),
                result.message,
            ),
            soft_wrap=True,
        )
    console.print()


def print_safety(console: Console, run: RunResult) -> None:
    """Which shell variable stands for whose token in the curl lines, the load the run kept, and a warning
    when the tokens are shown."""
    if run.secrets_shown:
        console.print(Text(SHOWN_NOTICE, style="bold red"), soft_wrap=True)
    elif run.token_variables:
        console.print(
            Text("Tokens (never printed; export each before running a curl line below):", style="bold")
        )
        for variable, holder in run.token_variables.items():
            console.print(f"  {variable}: {holder}", soft_wrap=True, markup=False, highlight=False)
    if run.load:
        console.print(f"Load: {run.load}", soft_wrap=True, markup=False, highlight=False)
    console.print()


def print_settings(console: Console, run: RunResult) -> None:
    """The community options the run assumed or observed, and the readings of the pages the server took."""
    lines = settings_lines(run.options, run.readings)
    if not lines:
        return
    console.print(Text("Community options and readings:", style="bold"))
    for line in lines:
        console.print(f"  {line}", soft_wrap=True, markup=False, highlight=False)
    console.print()


def print_families(console: Console, run: RunResult) -> None:
    """Per family: how many requirements, with what outcome, in how long and how many requests."""
    for family, share in run.by_family().items():
        console.print(f"  {family or 'no family'}: {share.describe()}", soft_wrap=True, markup=False)


def print_cleanup(console: Console, cleanup: Cleanup | None) -> None:
    """What the end of the run deleted, and each resource it left on the server by family and id."""
    if cleanup is None:
        return
    style = "yellow" if cleanup.leftovers else "dim"
    console.print(f"Cleanup: {cleanup.describe()}.", soft_wrap=True, markup=False, style=style)
    if cleanup.leftovers:
        console.print(Text("Left on the server:", style="bold yellow"))
        for leftover in cleanup.leftovers:
            console.print(f"  {leftover.describe()}", soft_wrap=True, markup=False, highlight=False)
    console.print()


def print_report(console: Console, run: RunResult) -> None:
    console.print(verdict_table(run, console.width))
    print_notes(console, run)
    print_settings(console, run)
    if run.families:
        console.print(Text("Families:", style="bold"))
        print_families(console, run)
        console.print()
    for family, reason in run.not_checked.items():
        console.print(f"Family {family} not checked: {reason}", soft_wrap=True, markup=False, style="yellow")
    if run.throttled:
        console.print(
            f"The server throttled {run.throttled} requests (429); each was waited out "
            f"({run.throttle_wait_s:.1f}s in all) and sent again, and only the answer after was judged.",
            soft_wrap=True,
            markup=False,
            style="yellow",
        )
    print_safety(console, run)
    print_cleanup(console, run.cleanup)
    for result in run.results:
        if result.blocking:
            print_failure(console, result)
    summary = f"{run.counts.describe()} in {run.duration:.1f}s, {run.requests} requests"
    if run.ok:
        console.print(f"[bold green]CONFORMS[/]: every MUST requirement holds. {summary}")
    else:
        failed = [r.requirement.id for r in run.results if r.blocking]
        console.print(
            Text.assemble(
                ("DOES NOT CONFORM", "bold red"),
                f": MUST requirements not met: {', '.join(failed)}. {summary}",
            )
        )
