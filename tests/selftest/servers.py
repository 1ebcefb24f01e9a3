"""Toy servers as real uvicorn processes on free loopback ports."""

from __future__ import annotations

from testkit.processes import ServerProcess, free_port, python_module

TOKENS = ("toy-token-1", "toy-token-2", "toy-token-3", "toy-token-4")


def toy_server(*options: str) -> ServerProcess:
    """A toy server started with ``options`` (e.g. ``--fault status-200``); use it as a context manager."""
    port = free_port()
    argv = python_module("tests.selftest.toy", "--port", str(port), "--users", str(len(TOKENS)), *options)
    # The toy keeps everything in memory: it is killed at the end, with nothing to shut down.
    return ServerProcess(argv, port, ready_path="/api/v2/user/me/", graceful_stop=False)
