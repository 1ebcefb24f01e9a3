"""SIGKILL the server in the middle of a write storm: every acknowledged invite must survive.

Each round starts the server on the same database, sends invites from 32 concurrent clients and
kills the process while requests are still in flight. After the last round a fresh server must
list every invite answered 204 (and nothing that was never sent), and the database must pass
its engine's integrity check.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from testkit.events import bearer
from testkit.processes import ServerProcess
from testkit.reference import Reference, logged_exceptions
from tests.scale.api import Api, client_limits
from tests.scale.integrity import engine_problems, invariant_problems

# Kills servers under a 32-client storm: one xdist worker runs these and the other racing tests in turn.
pytestmark = pytest.mark.xdist_group("serial")

ROUNDS = 2
EVENTS = 3
USERS = 300
BATCH = 5
IN_FLIGHT = 32
KILL_AFTER = 40  # acknowledged invite requests per round before the kill

Pair = tuple[int, int]


@dataclass
class Ledger:
    sent: set[Pair] = field(default_factory=set)
    acknowledged: set[Pair] = field(default_factory=set)
    cut_off: int = 0  # requests that never got an answer because the server died under them
    refused: list[str] = field(default_factory=list)


async def storm(
    server: ServerProcess, batches: Iterator[tuple[int, list[int]]], token: str, ledger: Ledger
) -> None:
    acknowledged_here = 0
    killed = asyncio.Event()

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal acknowledged_here
        while not killed.is_set():
            batch = next(batches, None)
            if batch is None:
                return
            event, users = batch
            ledger.sent.update((event, user) for user in users)
            try:
                response = await client.post(
                    f"/api/v2/event/{event}/invite/", json={"users": users}, headers=bearer(token)
                )
            except httpx.TransportError:
                ledger.cut_off += 1
                return
            if response.status_code != 204:
                ledger.refused.append(
                    f"event {event} users {users}: {response.status_code} {response.text[:200]}"
                )
                continue
            ledger.acknowledged.update((event, user) for user in users)
            acknowledged_here += 1
            if acknowledged_here == KILL_AFTER:
                server.kill()
                killed.set()

    limits = client_limits(IN_FLIGHT)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(IN_FLIGHT)))


async def invited(base_url: str, events: list[int], token: str) -> set[Pair]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        api = Api(client)
        listed: set[Pair] = set()
        for event in events:
            _, ids = await api.members(event, "invited", token, limit=100)
            listed.update((event, user) for user in ids)
        return listed


async def create_events(base_url: str, token: str) -> list[int]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        return [await Api(client).create_event(token, private=True) for _ in range(EVENTS)]


def test_acknowledged_invites_survive_sigkill(reference: Reference) -> None:
    user_ids = reference.seed(USERS + 1)
    manager, users = reference.token(user_ids[0]), user_ids[1:]
    ledger = Ledger()
    events: list[int] = []
    batches: Iterator[tuple[int, list[int]]] = iter([])

    for round_number in range(ROUNDS):
        server = reference.server(workers=1).start()
        if round_number == 0:
            events = asyncio.run(create_events(server.base_url, manager))
            work = [
                (event, users[start : start + BATCH])
                for event in events
                for start in range(0, len(users), BATCH)
            ]
            random.Random(0).shuffle(work)
            batches = itertools.chain(work)
        cut_off_before = ledger.cut_off
        asyncio.run(storm(server, batches, manager, ledger))
        assert not ledger.refused, "\n".join(
            [*ledger.refused[:20], "server log:", *logged_exceptions(server)[-10:]]
        )
        assert server.process is not None and server.process.poll() is not None, "the server was never killed"
        assert ledger.cut_off > cut_off_before, (
            "no request was in flight at the kill; the test proved nothing"
        )

    with reference.server(workers=1) as server:
        listed = asyncio.run(invited(server.base_url, events, manager))
    lost = sorted(ledger.acknowledged - listed)
    invented = sorted(listed - ledger.sent)
    assert not lost, f"{len(lost)} invitations answered 204 are gone after the crash, e.g. {lost[:10]}"
    assert not invented, f"{len(invented)} invitations were never sent but are listed, e.g. {invented[:10]}"
    assert not engine_problems(reference.database_url), engine_problems(reference.database_url)
    assert not invariant_problems(reference.database_url), invariant_problems(reference.database_url)
