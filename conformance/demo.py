"""`python -m conformance demo`: the reference server on a temporary SQLite file, four tokens, a quick run.

The reference server is started as a subprocess (`python -m reference_impl serve`), never imported:
the suite tests servers from the outside only.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

DEMO_USERS = ("alice", "bob", "carol", "dave")


class DemoError(RuntimeError):
    """The reference server could not be started or could not mint tokens."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mint_token(username: str, database_url: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "reference_impl", "token", username, "--database", database_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        raise DemoError(f"`python -m reference_impl token {username}` failed:\n{completed.stderr.strip()}")
    return lines[-1].strip()


@contextmanager
def reference_server(workdir: Path, startup_timeout: float = 60.0) -> Iterator[tuple[str, list[str]]]:
    """Yield the base URL of a running reference server and tokens of four fresh users."""
    database_url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    tokens = [mint_token(name, database_url) for name in DEMO_USERS]
    port = free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reference_impl",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database",
                database_url,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise DemoError(
                    f"the reference server exited:\n{log_path.read_text(errors='replace')[-3000:]}"
                )
            try:
                httpx.get(base_url + "/", timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise DemoError(
                        f"the reference server did not answer within {startup_timeout:.0f}s"
                    ) from None
                time.sleep(0.2)
        yield base_url, tokens
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def demo_target() -> Iterator[tuple[str, list[str]]]:
    with (
        tempfile.TemporaryDirectory(prefix="conformance-demo-") as workdir,
        reference_server(Path(workdir)) as found,
    ):
        yield found
