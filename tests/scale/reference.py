"""Start, seed and authenticate against the reference server from its CLI, on a database of our own."""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import jwt
import psycopg
from psycopg import sql
from sqlalchemy import select
from sqlalchemy.engine import make_url

from reference_impl import settings, storage
from tests.support.processes import ServerProcess, free_port, python_module

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
