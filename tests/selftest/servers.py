"""Toy servers as real uvicorn processes on free loopback ports."""

from __future__ import annotations

from testkit.processes import ForkedServerProcess, ServerProcess, free_port

from .toy.__main__ import run

TOKENS = ("toy-token-1", "toy-token-2", "toy-token-3", "toy-token-4")
#: What a toy imports, imported once by the fork server that every toy of a test process is forked from.
TOY_MODULES = ("tests.selftest.toy.__main__",)


def toy_server(*options: str) -> ServerProcess:
    """A toy server started with ``options`` (e.g. ``--fault status-200``); use it as a context manager."""
    port = free_port()
    args = ["--port", str(port), "--users", str(len(TOKENS)), *options]
    return ForkedServerProcess(run, args, port, preload=TOY_MODULES, ready_path="/api/v2/user/me/")
