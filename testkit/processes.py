"""Start real HTTP servers as child processes on a free 127.0.0.1 port and wait until they answer."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
#: How often a starting server is asked whether it answers: servers start in 0.2-1 s, and the tests start
#: some hundreds of them.
READY_POLL_SECONDS = 0.02


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A server started with ``argv`` that listens on ``port``; stopped on exit.

    ``ready_path`` is requested until the server answers with any HTTP status, so a
    server that answers 401 or 404 there is ready too. The process output goes to a
    log file whose tail is shown when the server fails to start.
    """

    def __init__(
        self,
        argv: Sequence[str],
        port: int,
        *,
        ready_path: str = "/",
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        startup_timeout: float = 30.0,
        graceful_stop: bool = True,
    ) -> None:
        self.argv = list(argv)
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        # False for a server with nothing to lose (all in memory): stop() kills it at once instead of
        # waiting for uvicorn's graceful shutdown, which takes 0.1-0.2 s a server.
        self.graceful_stop = graceful_stop
        self.log_path = Path(tempfile.mkstemp(prefix="server-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        return self._await_ready(self.process.poll)

    def _await_ready(self, exit_code: Callable[[], int | None]) -> ServerProcess:
        """Until the server answers at ``ready_path``; RuntimeError with its log's tail if it exits or
        does not answer in time."""
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            code = exit_code()
            if code is not None:
                raise RuntimeError(f"server exited with {code}:\n{self.log_tail()}")
            try:
                httpx.get(self.base_url + self.ready_path, timeout=1.0)
                return self
            except httpx.TransportError:
                time.sleep(READY_POLL_SECONDS)
        self.stop()
        raise RuntimeError(f"server did not answer within {self.startup_timeout}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown handlers run."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if not self.graceful_stop:
            self.kill()
            return
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ForkedServerProcess(ServerProcess):
    """A server run by ``target(args)`` in a child of multiprocessing's fork server, which imported
    ``preload`` once: a process of its own on its own port, as with ``ServerProcess``, without an
    interpreter start and the imports for each server (0.2-0.3 s of CPU; the self-tests start some
    hundreds of toy servers). Killed when stopped: for servers that keep nothing but memory.

    ``target`` must be importable by its module's name (the fork server imports it), and reads its
    command line from ``args``, as ``argv`` would give it.
    """

    def __init__(
        self,
        target: Callable[[list[str]], object],
        args: Sequence[str],
        port: int,
        *,
        preload: Sequence[str],
        ready_path: str = "/",
        startup_timeout: float = 30.0,
    ) -> None:
        super().__init__(
            [target.__module__, *args], port, ready_path=ready_path, startup_timeout=startup_timeout
        )
        self.target, self.args = target, list(args)
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(preload))  # takes effect when the fork server starts
        self.forked: multiprocessing.process.BaseProcess | None = None

    def start(self) -> ServerProcess:
        forked = self.context.Process(
            target=_logging_to, args=(str(self.log_path), self.target, self.args), daemon=True
        )
        forked.start()
        self.forked = forked
        return self._await_ready(lambda: forked.exitcode)

    def kill(self) -> None:
        if self.forked is not None and self.forked.is_alive():
            self.forked.kill()
            self.forked.join()

    def stop(self) -> None:
        self.kill()


def _logging_to(log_path: str, target: Callable[[list[str]], object], args: list[str]) -> None:
    """In the forked child: its output to ``log_path``, then ``target(args)``."""
    with open(log_path, "wb") as log:
        os.dup2(log.fileno(), sys.stdout.fileno())
        os.dup2(log.fileno(), sys.stderr.fileno())
    target(args)


def python_module(module: str, *args: str) -> list[str]:
    """argv running ``python -m module args`` with this interpreter."""
    return [sys.executable, "-m", module, *args]
