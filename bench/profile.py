"""``python -m bench.profile``: where a POST invite spends its time, sampled with py-spy under wrk load.

Starts the reference server (one worker; SQLite, or PostgreSQL with ``--database postgres`` and
$CONTRACT_PG_URL), drives it with the invite load of the
benchmarks and samples the process with ``py-spy record``. Prints the functions that are on the
stack most often (inclusive share of samples), grouped by the package they belong to; the raw
collapsed stacks are kept for flame graphs (e.g. speedscope or flamegraph.pl).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from bench.databases import PG_URL_ENV, database
from bench.load import InviteLoad, run_load
from bench.scenarios import INVITE_PATH, create_events
from testkit.reference import Reference

OWN_PACKAGES = (
    "reference_impl",
    "connexion",
    "starlette",
    "sqlalchemy",
    "jsonschema",
    "uvicorn",
    "anyio",
    "jwt",
)


def frame_owner(frame: str) -> str:
    """``function (path/to/module.py:123)`` → the package the frame belongs to."""
    for package in OWN_PACKAGES:
        if f"/{package}/" in frame or f"({package}/" in frame:
            return package
    if "sqlite3" in frame or "psycopg" in frame or "asyncpg" in frame:
        return "database driver"
    return "other"


def summarise(collapsed: str) -> tuple[int, Counter[str], Counter[str], Counter[str]]:
    """Total samples, inclusive samples per frame and per package, and self samples per frame."""
    total = 0
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        for package in {frame_owner(frame) for frame in frames}:
            packages[package] += count
        own[frames[-1]] += count
    return total, inclusive, packages, own


@click.command()
@click.option("--duration", type=float, default=15.0, show_default=True)
@click.option("--connections", type=int, default=32, show_default=True)
@click.option("--top", type=int, default=25, show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("bench/profile.collapsed"), show_default=True
)
@click.option(
    "--gil/--all-threads",
    default=True,
    show_default=True,
    help="Sample only the thread holding the GIL (CPU time of Python code) or every thread (waits too).",
)
@click.option(
    "--database", "kind", type=click.Choice(["sqlite", "postgres"]), default="sqlite", show_default=True
)
def main(duration: float, connections: int, top: int, out: Path, gil: bool, kind: str) -> None:
    """Profile the reference server under POST invite load."""
    if not shutil.which("py-spy"):
        raise click.ClickException("py-spy is not installed (pip install py-spy)")
    admin_url = os.environ.get(PG_URL_ENV)
    if kind == "postgres" and not admin_url:
        raise click.ClickException(f"--database postgres needs ${PG_URL_ENV}")
    console = Console()
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp, database(kind, admin_url, Path(tmp)) as url:
        reference = Reference(database_url=url, jwt_secret=secrets.token_urlsafe(48))
        user_ids = reference.seed(1001)
        manager = reference.token(user_ids[0])
        with reference.server(workers=1) as server:
            assert server.process is not None
            events = create_events(server.base_url, manager, 30)
            load = InviteLoad(server.base_url, INVITE_PATH, events, user_ids[1:], manager)
            sampler = threading.Thread(
                target=run_load, args=(load,), kwargs={"connections": connections, "duration_s": duration + 2}
            )
            sampler.start()
            recorded = subprocess.run(
                ["py-spy", "record", "--pid", str(server.process.pid), "--duration", str(int(duration)),
                 "--format", "raw", "--output", str(out), "--rate", "200", *(["--gil"] if gil else [])],
                capture_output=True, text=True,
            )  # fmt: skip
            sampler.join()
    if recorded.returncode != 0:
        raise click.ClickException(f"py-spy failed: {recorded.stderr[-2000:]}")
    total, inclusive, packages, own = summarise(out.read_text())
    by_package = Table(title=f"Samples by package (inclusive, of {total:,} busy samples)")
    by_package.add_column("package")
    by_package.add_column("share", justify="right")
    for package, count in packages.most_common():
        by_package.add_row(package, f"{count / total:.0%}")
    console.print(by_package)
    for title, counter in (
        ("Most frequent frames (inclusive)", inclusive),
        ("Most frequent leaves (self)", own),
    ):
        table = Table(title=title)
        table.add_column("frame", overflow="fold")
        table.add_column("share", justify="right")
        for frame, count in counter.most_common(top):
            table.add_row(frame, f"{count / total:.1%}")
        console.print(table)
    console.print(f"collapsed stacks in {out}")


if __name__ == "__main__":
    main()
