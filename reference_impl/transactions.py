"""One database transaction per operation: admission, the connection, the write flag, the commit.

Every request routed to an operation runs in one transaction, from the access check to the handler.
This module owns all of it:

- **Admission.** Requests wait here, on the event loop, before they take a connection: at most
  ``MAX_OPEN_TRANSACTIONS`` transactions are open at once, no more than the pooled connections, so
  a started transaction always finds one. On SQLite, which has a single writer, writes also go one
  at a time, so that none waits on the database's lock while holding the loop (below). On
  PostgreSQL, concurrent writes to one resource are ordered by the database: a change locks its
  resource when it begins (``repository.lock``), and a request waiting for that lock waits on the
  event loop, holding nothing but its connection.
- **The connection**, checked out and begun on first use (the access check's), so a request refused
  before any query takes none. Through asyncpg, PostgreSQL's transaction itself begins with the first
  statement that needs one: the access gate's reads of the caller and the resource do not, and an
  invitation's change may be a transaction of its own (``driver_statements``, ``invitations``); a
  request whose every statement is of that kind sends no BEGIN and no COMMIT.
- **The write flag**: on SQLite, a request whose method changes state marks its connection
  (``storage.WRITES``), so that it begins with ``BEGIN IMMEDIATE`` (``storage``).
- **Commit before the response**: ``end_before_response`` is the handler layer's hook
  (``fast_connexion.DirectHandlerMiddleware``); it commits (status below 400) or rolls back in the
  same call as the handler, before the response is sent, so a client never sees an answer whose
  changes are not yet visible. Under stock Connexion's handler layer (``serve --stock-connexion``),
  which has no such hook, the transaction ends the same way when the response starts, before it is
  sent. Whatever else leaves the request (an exception, a refusal) rolls back.
- **The context variable** through which the access gate and the handlers reach the transaction
  (``current()``).

Blocking database calls run the way the engine needs (``runner``). SQLite runs in this process: a
statement takes microseconds and the request's writes are already taken one at a time by admission,
so its calls run inline, on the event loop. The one wait left there is another *process* holding
SQLite's write lock (several workers on one file): the loop then waits up to the busy timeout for
it, which that process never needs this one to release. PostgreSQL is reached through asyncpg
(``storage.request_engine``): the synchronous code of the access gate and the handlers runs in a
greenlet (SQLAlchemy's asyncio bridge, ``greenlet_spawn``) and each statement awaits its answer on
the event loop, so other requests go on meanwhile, lock waits included. Worker threads were measured
out: under POST invite load, the hops to the thread pool and back (queue, condition, GIL hand-over)
were a quarter of a request's CPU time, and a transaction waited for the GIL between its statements
while the loop ran other requests (``bench/postgres.md``). They remain for a synchronous driver
(psycopg), which stock Connexion's handler layer needs, since it calls handlers in worker threads
(``serve --stock-connexion``): the bound on open transactions, below the 40 threads, keeps a thread
free for the transaction that others wait on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Hashable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import Connection, Engine, Row
from sqlalchemy.util import greenlet_spawn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl.kept_reads import RowVersions
from reference_impl.storage import WRITES

T = TypeVar("T")
DatabaseCall = Callable[..., Awaitable[Any]]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_OPEN_TRANSACTIONS = 32


def operation_id(scope: Scope) -> str | None:
    """The operationId Connexion's routing found for this request; None for anything else."""
    if scope["type"] != "http":
        return None
    routing: dict[str, Any] = scope.get("extensions", {}).get("connexion_routing", {})
    return routing.get("operation_id")


async def _run_inline(function: Callable[..., T], *args: Any) -> T:
    return function(*args)


def runner(engine: Engine) -> DatabaseCall:
    """How ``engine``'s blocking calls are run: inline (SQLite), in a greenlet whose statements await
    their answers on the event loop (an asyncio driver: asyncpg), else in a worker thread."""
    if engine.dialect.is_async:
        return greenlet_spawn
    if engine.dialect.name == "sqlite":
        return _run_inline
    return anyio.to_thread.run_sync


def _nothing_kept() -> None:
    raise RuntimeError("the access gate kept no read for this request, so there is nothing to decide again")


class RequestContext:
    """One request's transaction, and what the access gate found in it: the caller and the resource."""

    __slots__ = (
        "_connection",
        "_engine",
        "_marks_writes",
        "_run",
        "caller",
        "decide_again",
        "read_versions",
        "resource",
        "sees",
        "writes",
    )

    def __init__(self, engine: Engine, writes: bool, run: DatabaseCall) -> None:
        self._engine = engine
        self._run = run
        self._connection: Connection | None = None
        self._marks_writes = engine.dialect.name == "sqlite"
        self.writes = writes
        self.caller: Row | None = None  # the authenticated user, set by the access gate
        self.resource: Row | None = None  # the event, group, … that the path's {id} names, likewise
        # Whether a user may see that resource (its GET's access), likewise; for handlers that need it.
        self.sees: Callable[[Row | None], bool] | None = None
        # For an operation whose change verifies the rows the gate decided on (``kept_reads``): their
        # versions, and how the gate decides again on rows read afresh when they are not current.
        self.read_versions: RowVersions | None = None
        self.decide_again: Callable[[], None] = _nothing_kept

    @property
    def connection(self) -> Connection:
        """The transaction's connection: checked out and begun on first use."""
        if self._connection is None:
            connection = self._engine.connect()
            if self._marks_writes:  # SQLite's begin reads it; elsewhere a copy of the options for nothing
                connection = connection.execution_options(**{WRITES: self.writes})
            try:
                connection.begin()
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    @property
    def is_open(self) -> bool:
        return self._connection is not None and not self._connection.closed

    def end(self, commit: bool) -> None:
        """Commit (or roll back) and give the connection back; nothing to do once it has ended."""
        connection = self._connection
        if connection is None or connection.closed:
            return
        try:
            if commit:
                connection.commit()
        finally:
            connection.close()  # rolls back what was not committed

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, run as the database needs (``runner``); rolled back on error."""
        result: T = await self._run(self._rolling_back, function, *args)
        return result

    def _rolling_back(self, function: Callable[..., T], *args: Any) -> T:
        try:
            return function(*args)
        except BaseException:
            self.end(commit=False)  # in the same call
            raise


_current: ContextVar[RequestContext] = ContextVar("reference_impl_request")


def current() -> RequestContext:
    """The transaction of the request being handled; LookupError outside one."""
    return _current.get()


def end_before_response(status: int) -> None:
    """The handler layer's ``on_response``: commit below 400, else roll back, before the response goes out."""
    try:
        request = _current.get()
    except LookupError:  # not an operation of ours: no transaction
        return
    request.end(commit=status < 400)


class Admission:
    """A bound on open transactions and per-key locks (SQLite's single writer), awaited on the event loop."""

    def __init__(self, *, open_transactions: int = MAX_OPEN_TRANSACTIONS) -> None:
        self._open_transactions = open_transactions
        self._slots: anyio.Semaphore | None = None
        self._locks: dict[Hashable, tuple[anyio.Lock, int]] = {}

    @asynccontextmanager
    async def admit(self, exclusive_key: Hashable | None) -> AsyncIterator[None]:
        """Wait for ``exclusive_key`` (None: nothing to wait for), then for a transaction slot."""
        if self._slots is None:  # made on first use, inside the event loop
            self._slots = anyio.Semaphore(self._open_transactions)
        if exclusive_key is None:
            async with self._slots:
                yield
            return
        lock, users = self._locks.get(exclusive_key) or (anyio.Lock(), 0)
        self._locks[exclusive_key] = (lock, users + 1)
        try:
            async with lock, self._slots:
                yield
        finally:
            lock, users = self._locks[exclusive_key]
            if users == 1:
                del self._locks[exclusive_key]
            else:
                self._locks[exclusive_key] = (lock, users - 1)


class TransactionMiddleware:
    """After routing: admits each request to an operation and binds its transaction for what follows."""

    def __init__(self, app: ASGIApp, *, engine: Engine, operations: Collection[str]) -> None:
        self.app = app
        self.engine = engine
        self.operations = operations
        self.single_writer = engine.dialect.name == "sqlite"
        self.run = runner(engine)
        self.admission = Admission()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if operation_id(scope) not in self.operations:
            await self.app(scope, receive, send)
            return
        request = RequestContext(self.engine, scope["method"] not in READ_METHODS, self.run)
        # SQLite's writes one at a time; PostgreSQL orders them itself (repository.lock).
        async with self.admission.admit("database" if request.writes and self.single_writer else None):
            token = _current.set(request)

            async def send_once_ended(message: Message) -> None:
                if message["type"] == "http.response.start" and request.is_open:
                    await self.run(request.end, message["status"] < 400)
                await send(message)

            try:
                await self.app(scope, receive, send_once_ended)
            finally:
                _current.reset(token)
                if request.is_open:  # the handler did not end it: an error; roll back
                    await self.run(request.end, False)
