"""Fixtures shared by every suite: the reference server as a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.processes import ServerProcess, free_port, python_module

# Any path answers once the server is up (401 here, since no token is sent).
READY_PATH = "/api/v2/user/me/"
# The CLI reads these; the fixtures pass everything explicitly so that a developer's shell does not leak in.
_CLI_ENV_OVERRIDES = ("CONTRACT_DATABASE_URL",)


def cli_env(extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _CLI_ENV_OVERRIDES}
    return {**env, **extra}


@dataclass
class ReferenceServer:
    """A running ``python -m reference_impl serve`` and the database it serves."""

    base_url: str
    database_url: str
    process: ServerProcess
    env: dict[str, str] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        """A bearer token for ``username`` (created if new), from the ``token`` CLI; cached."""
        if username not in self._tokens:
            completed = subprocess.run(
                python_module("reference_impl", "token", username, "--database", self.database_url),
                env=cli_env(self.env),
                capture_output=True,
                text=True,
                timeout=60,
            )
            if completed.returncode != 0:
                raise RuntimeError(f"`reference_impl token {username}` failed:\n{completed.stderr}")
            self._tokens[username] = completed.stdout.strip().splitlines()[-1]
        return self._tokens[username]

    def user_id(self, username: str) -> int:
        """The id of ``username`` (created if new), read from its token's subject."""
        payload = self.token(username).split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims["sub"])

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def log(self) -> str:
        return self.process.log_tail(lines=200)


def start_reference_server(
    database_url: str,
    *,
    workers: int = 1,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> ReferenceServer:
    """Start the server on a free port, ``args`` added to ``serve``; the caller stops ``server.process``."""
    port = free_port()
    argv = python_module(
        "reference_impl", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--database", database_url, "--workers", str(workers), *args,
    )  # fmt: skip
    extra = dict(env or {})
    process = ServerProcess(argv, port, ready_path=READY_PATH, env=cli_env(extra), startup_timeout=60)
    process.start()
    return ReferenceServer(base_url=process.base_url, database_url=database_url, process=process, env=extra)


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'reference.sqlite3'}"


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
