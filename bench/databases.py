"""Where the benchmarks get their databases: SQLite files, and PostgreSQL when a cluster can be had."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testkit.reference import Reference, fresh_postgres_database

PG_URL_ENV = "CONTRACT_PG_URL"
POSTGRES_SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"


@contextmanager
def postgres_cluster() -> Iterator[tuple[str | None, str]]:
    """The admin URL of a PostgreSQL cluster and where it came from; (None, why) when there is none.

    $CONTRACT_PG_URL wins; otherwise, where the server binaries are installed, a throwaway
    cluster is started with .ci/postgres.sh and stopped afterwards.
    """
    if url := os.environ.get(PG_URL_ENV):
        yield url, f"${PG_URL_ENV}"
        return
    if not (
        shutil.which("initdb") or shutil.which("pg_config") or list(Path("/usr/lib/postgresql").glob("*/bin"))
    ):
        yield None, f"no ${PG_URL_ENV} and no PostgreSQL server installed"
        return
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as directory:
        Path(directory).chmod(0o711)  # the server runs as the postgres user, who must reach its folder
        env = {**os.environ, "CONTRACT_PG_DIR": str(Path(directory) / "cluster")}
        started = subprocess.run(
            ["bash", str(POSTGRES_SCRIPT), "start"], env=env, capture_output=True, text=True
        )
        if started.returncode != 0:
            yield None, f"could not start a cluster: {started.stderr.strip()[-300:]}"
            return
        try:
            yield started.stdout.strip().splitlines()[-1], "a throwaway cluster (.ci/postgres.sh)"
        finally:
            subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop"], env=env, capture_output=True, check=False)


@contextmanager
def database(kind: str, admin_url: str | None, directory: Path) -> Iterator[str]:
    """A fresh database URL: a new SQLite file, or a new database in the PostgreSQL cluster."""
    if kind == "sqlite":
        path = Path(tempfile.mkstemp(prefix="bench-", suffix=".sqlite3", dir=directory)[1])
        path.unlink()
        yield f"sqlite:///{path}"
        return
    assert admin_url is not None
    with fresh_postgres_database(admin_url) as url:
        yield url


@contextmanager
def reference_on(kind: str, admin_url: str | None, directory: Path) -> Iterator[Reference]:
    """The reference CLI on a fresh database of ``kind``; its servers are stopped on exit."""
    with database(kind, admin_url, directory) as url:
        reference = Reference(database_url=url, jwt_secret=secrets.token_urlsafe(48))
        try:
            yield reference
        finally:
            reference.stop_all()
