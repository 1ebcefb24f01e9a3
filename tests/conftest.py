"""Fixtures shared by every suite: the reference server as a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testkit.reference import ReferenceServer, sqlite_url, start_reference_server


@pytest.fixture(scope="session")
def reference_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    """One reference server for the session, on a fresh temporary SQLite file."""
    server = start_reference_server(sqlite_url(tmp_path_factory.mktemp("reference")))
    try:
        yield server
    finally:
        server.process.stop()


ReferenceServerFactory = Callable[..., ReferenceServer]


@pytest.fixture
def reference_server_factory(tmp_path: Path) -> Iterator[ReferenceServerFactory]:
    """Start reference servers of one's own: ``factory(database_url=None, workers=1, env=None, args=())``.

    Without ``database_url`` each server gets a fresh SQLite file; pass a PostgreSQL URL
    (e.g. a database made in the cluster of ``$CONTRACT_PG_URL``) to run on PostgreSQL.
    Every server is stopped at the end of the test.
    """
    started: list[ReferenceServer] = []

    def factory(
        database_url: str | None = None,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> ReferenceServer:
        if database_url is None:
            directory = tmp_path / f"server-{len(started)}"
            directory.mkdir()
            database_url = sqlite_url(directory)
        server = start_reference_server(database_url, workers=workers, env=env, args=args)
        started.append(server)
        return server

    try:
        yield factory
    finally:
        for server in started:
            server.process.stop()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under ``--dist loadgroup`` an ``xdist_group`` test must carry its group in its node id (which is how
    xdist's scheduler reads it); where it does not, crash and race tests would run beside others and module
    fixtures once per worker, without a word, so each such test fails instead."""
    grouped = item.get_closest_marker("xdist_group") is not None
    if grouped and getattr(item.config.option, "loadgroup", False) and "@" not in item.nodeid:
        pytest.fail(
            "pytest-xdist's --dist loadgroup lost this test's xdist_group: this pytest and pytest-xdist do "
            "not work together (pytest-dev/pytest-xdist#1386); install the versions of pyproject.toml's "
            "dev extra",
            pytrace=False,
        )
