"""Start, seed and authenticate against the reference server from its CLI, on a database of our own.

``ReferenceServer`` mints tokens through the ``token`` command (what a user does); ``Reference`` signs
them itself with the database's secret (what load and fault tests need: many users, custom claims).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import psycopg
from psycopg import sql
from sqlalchemy import select
from sqlalchemy.engine import make_url

from reference_impl import settings, storage
from testkit.processes import ServerProcess, free_port, python_module

# Any path answers once the server is up (401 here, since no token is sent).
READY_PATH = "/api/v2/user/me/"
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception)\b.*")


def logged_exceptions(server: ServerProcess) -> list[str]:
    """The exception lines of the server's log (what a 5xx was about), oldest first."""
    text = server.log_path.read_text(errors="replace") if server.log_path.exists() else ""
    return [line for line in text.splitlines() if EXCEPTION_LINE.match(line)]


@dataclass
class Reference:
    """The reference server's CLI bound to one database and one signing secret."""

    database_url: str
    jwt_secret: str
    processes: list[ServerProcess] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {settings.JWT_SECRET_ENV: self.jwt_secret}

    def server(self, *, workers: int = 1, port: int | None = None) -> ServerProcess:
        """A server process (not yet started) on this database; stopped at the end of the test."""
        port = port or free_port()
        argv = python_module(
            "reference_impl", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--database", self.database_url, "--workers", str(workers),
        )  # fmt: skip
        process = ServerProcess(argv, port, ready_path=READY_PATH, env=self.env, startup_timeout=60)
        self.processes.append(process)
        return process

    def seed(self, users: int) -> list[int]:
        """Create ``users`` users; returns the ids of every user in the database, oldest first."""
        subprocess.run(
            python_module("reference_impl", "seed", "--users", str(users), "--database", self.database_url),
            env={**os.environ, **self.env},
            check=True,
            capture_output=True,
        )
        return self.user_ids()

    def user_ids(self) -> list[int]:
        engine = storage.make_engine(settings.database_url(self.database_url))
        try:
            with engine.connect() as connection:
                return list(
                    connection.execute(select(storage.users.c.id).order_by(storage.users.c.id)).scalars()
                )
        finally:
            engine.dispose()

    def token(self, user_id: int, **claims: object) -> str:
        """A valid bearer token for ``user_id`` (extra claims override the defaults)."""
        now = int(time.time())
        payload = {"sub": str(user_id), "iat": now, "exp": now + 3600, **claims}
        return jwt.encode(payload, self.jwt_secret, algorithm="HS256")

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()


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


@contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """A new empty database in the cluster of ``admin_url``, dropped afterwards."""
    name = f"scale_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
