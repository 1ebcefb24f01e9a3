"""Admission of requests to the database, waiting on the event loop rather than in threads.

A request's transaction spans several hops to worker threads (access check, handler, commit).
A request that waited *in a thread* for a lock, or for a pooled connection, held by a request
whose next hop needs a thread could starve the thread pool and hang the server. So requests
wait here, on the event loop, before they take a connection:

- writes that touch the same event go one at a time (on SQLite, which has a single writer,
  all writes do), so no worker thread ever blocks on a row or database lock held in this process;
- at most ``MAX_OPEN_TRANSACTIONS`` transactions are open at once, fewer than the worker threads
  (40) and the pooled connections, so a started transaction always finds both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager

import anyio

MAX_OPEN_TRANSACTIONS = 32


class Admission:
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
