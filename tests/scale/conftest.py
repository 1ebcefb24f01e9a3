"""Reference servers on SQLite and PostgreSQL, each on a fresh database.

These tests drive the server process directly (kill it, restart it on the same database, run
several workers), so they start it from the CLI instead of sharing one server per session.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from testkit.reference import Reference, fresh_postgres_database

PG_URL_ENV = "CONTRACT_PG_URL"
DATABASE_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@contextmanager
def empty_database(kind: str, directory: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of ``kind``; PostgreSQL ones are dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'scale.sqlite3'}"
        return
    admin_url = os.environ.get(PG_URL_ENV)
    if not admin_url:
        pytest.skip(
            f"{PG_URL_ENV} is not set: start a cluster with `export {PG_URL_ENV}=$(.ci/postgres.sh start)`"
        )
    with fresh_postgres_database(admin_url) as url:
        yield url


@contextmanager
def reference_on(kind: str, directory: Path) -> Iterator[Reference]:
    with empty_database(kind, directory) as url:
        reference = Reference(database_url=url, jwt_secret=secrets.token_urlsafe(48))
        try:
            yield reference
        finally:
            reference.stop_all()


@pytest.fixture(params=DATABASE_KINDS)
def reference(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Reference]:
    """The reference CLI on a fresh database; tests start servers with the workers they need."""
    with reference_on(request.param, tmp_path) as reference:
        yield reference


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def module_reference(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Reference]:
    """As ``reference``, shared by the tests of one module."""
    with reference_on(request.param, tmp_path_factory.mktemp("scale")) as reference:
        yield reference
