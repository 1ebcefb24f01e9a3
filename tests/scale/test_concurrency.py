"""Many clients racing over the same events and users; the final state must match the model.

Each (event, user) pair gets a random sequence of moves, run one step after the other, while
all pairs run at once (at least 32 requests in flight). Every step is also sent several times
concurrently: the moves are idempotent, so the duplicates race on the same row without
making the outcome uncertain. The final state is then read back through the API.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from testkit.reference import Reference, logged_exceptions
from tests.scale.api import Api, client_limits
from tests.scale.integrity import invariant_problems
from tests.scale.model import MOVES, Move, Status, replay

# 48 clients in flight: one xdist worker runs these and the other racing tests in turn.
pytestmark = pytest.mark.xdist_group("serial")

IN_FLIGHT = 48
USERS = 24
PRIVATE_EVENTS = 2
PUBLIC_EVENTS = 1
STEPS = (3, 6)
DUPLICATES = (1, 3)


@dataclass
class RaceOutcome:
    """What the clients saw."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def record(self, response: httpx.Response, label: str) -> None:
        self.statuses[response.status_code] += 1
        if response.status_code != 204:
            self.failures.append(f"{label}: {response.status_code} {response.text[:300]}")


def plan(rng: random.Random, events: list[int], users: list[int]) -> dict[tuple[int, int], list[Move]]:
    return {
        (event, user): [rng.choice(MOVES) for _ in range(rng.randint(*STEPS))]
        for event in events
        for user in users
    }


async def race(
    api: Api,
    plans: dict[tuple[int, int], list[Move]],
    rng: random.Random,
    *,
    manager: str,
    tokens: dict[int, str],
) -> RaceOutcome:
    outcome = RaceOutcome()
    gate = asyncio.Semaphore(IN_FLIGHT)
    copies = {pair: [rng.randint(*DUPLICATES) for _ in ops] for pair, ops in plans.items()}

    async def send(move: Move, event: int, user: int) -> None:
        label = f"{move} event={event} user={user}"
        async with gate:
            try:
                response = await api.operate(move, event, user, manager=manager, user_token=tokens[user])
            except httpx.TransportError as error:
                outcome.failures.append(f"{label}: no answer ({type(error).__name__}: {error})")
                return
        outcome.record(response, label)

    async def run_pair(pair: tuple[int, int]) -> None:
        event, user = pair
        for move, count in zip(plans[pair], copies[pair], strict=True):
            await asyncio.gather(*(send(move, event, user) for _ in range(count)))

    await asyncio.gather(*(run_pair(pair) for pair in plans))
    return outcome


async def check_final_state(
    api: Api,
    expected: dict[tuple[int, int], Status],
    *,
    manager_id: int,
    manager: str,
    tokens: dict[int, str],
    events: list[int],
) -> list[str]:
    problems: list[str] = []
    for (event, user), status in expected.items():
        seen = await api.status(event, tokens[user])
        if seen != status:
            problems.append(f"event {event} user {user}: status {seen!r}, expected {status!r}")
    for event in events:
        listed: dict[int, list[str]] = {}
        for status in ("invited", "requested", "subscribed"):
            count, ids = await api.members(event, status, manager)
            if count != len(ids):
                problems.append(f"event {event} {status}: count {count} but {len(ids)} listed")
            for user, times in Counter(ids).items():
                if times > 1:
                    problems.append(f"event {event}: user {user} listed {times} times as {status}")
                listed.setdefault(user, []).append(status)
            want = {u for (e, u), s in expected.items() if e == event and s == status}
            if status == "subscribed":
                want.add(manager_id)
            extra, missing = sorted(set(ids) - want), sorted(want - set(ids))
            if extra or missing:
                problems.append(f"event {event} {status}: extra {extra}, missing {missing}")
        problems.extend(
            f"event {event}: user {user} is in several lists: {statuses}"
            for user, statuses in listed.items()
            if len(statuses) > 1
        )
    return problems


@pytest.mark.parametrize("workers", [1, 2], ids=["1-worker", "2-workers"])
def test_racing_clients_end_in_the_modelled_state(reference: Reference, workers: int) -> None:
    seed = int(os.environ.get("SCALE_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    user_ids = reference.seed(USERS + 1)
    manager_id, users = user_ids[0], user_ids[1 : USERS + 1]
    manager = reference.token(manager_id)
    tokens = {user: reference.token(user) for user in users}

    async def scenario(base_url: str) -> tuple[RaceOutcome, list[str]]:
        limits = client_limits(IN_FLIGHT)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
            api = Api(client)
            private = [await api.create_event(manager, private=True) for _ in range(PRIVATE_EVENTS)]
            public = [await api.create_event(manager, private=False) for _ in range(PUBLIC_EVENTS)]
            plans = plan(rng, private + public, users)
            outcome = await race(api, plans, rng, manager=manager, tokens=tokens)
            expected = {pair: replay(moves, private=pair[0] in private) for pair, moves in plans.items()}
            problems = await check_final_state(
                api, expected, manager_id=manager_id, manager=manager, tokens=tokens, events=private + public
            )
            return outcome, problems

    with reference.server(workers=workers) as server:
        outcome, problems = asyncio.run(scenario(server.base_url))
        errors_logged = logged_exceptions(server)

    summary = f"seed {seed} (rerun with SCALE_SEED={seed}); statuses {dict(outcome.statuses)}"
    assert not outcome.failures, "\n".join(
        [summary, *outcome.failures[:20], "server log:", *errors_logged[-20:]]
    )
    assert not problems, f"{summary}\n" + "\n".join(problems[:20])
    stored = invariant_problems(reference.database_url)
    assert not stored, f"{summary}\n" + "\n".join(stored[:20])
    assert outcome.statuses[204] >= len(users) * (PRIVATE_EVENTS + PUBLIC_EVENTS) * STEPS[0]
