"""How the server calls blocking database code from the event loop: in a worker thread, or inline.

PostgreSQL statements wait on the network, so they run in worker threads (anyio's pool). SQLite
runs in this process: a statement takes microseconds, and the request's writes are already taken
one at a time by the admission lock. A hop to a worker thread (queue put, condition notify, GIL
hand-over, and back) cost more than the statements themselves: under load it was a fifth of the
CPU time of a POST invite. So SQLite work runs inline, on the event loop. The one wait left there
is another *process* holding SQLite's write lock (several workers on one file): the loop then
waits up to the busy timeout for it, which that process never needs this one to release.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Engine

T = TypeVar("T")
DatabaseCall = Callable[..., Awaitable[Any]]


async def run_inline(function: Callable[..., T], *args: Any) -> T:
    return function(*args)


def runs_inline(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def caller_for(engine: Engine) -> DatabaseCall:
    """``await caller(function, *args)``: runs ``function`` the way ``engine``'s database needs."""
    return run_inline if runs_inline(engine) else anyio.to_thread.run_sync


def end_transaction(connection: Connection, commit: bool) -> None:
    """Commit (or roll back) and give the connection back, as ``AccessMiddleware._end`` does."""
    if commit:
        connection.commit()
    connection.close()
