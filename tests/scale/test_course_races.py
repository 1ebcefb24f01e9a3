"""Many clients racing over one private course: joins, invitations, role changes and removals, while the
creator is named in changes that must be refused; the final state must match a model of the course rules
(docs/contract.md, rules 60–66), the creator must still be the creator, and the stored data sound.

Each user gets a random sequence of moves, run one after the other, while all users run at once; every
move is sent several times concurrently. Every move is idempotent, so the duplicates race on the same row
without making the outcome uncertain.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from typing import Literal

import httpx
import pytest

from testkit.events import bearer
from testkit.reference import Reference, logged_exceptions
from tests.scale.api import client_limits
from tests.scale.integrity import invariant_problems

pytestmark = pytest.mark.xdist_group("serial")

COURSES = "/api/v2/course/"
IN_FLIGHT = 32
USERS = 12
STEPS = (3, 6)
DUPLICATES = (1, 3)

CourseMove = Literal["invite", "withdraw", "join", "leave", "remove", "manager", "member", "unjoin"]
MOVES: tuple[CourseMove, ...] = (
    "invite",
    "withdraw",
    "join",
    "leave",
    "remove",
    "manager",
    "member",
    "unjoin",
)
State = str | None


def step(move: CourseMove, state: State) -> State:
    """A user's state on a private course after ``move`` (by the creator, or by the user for join/leave)."""
    if move == "invite":  # a request is accepted, members keep their state, anyone else is invited
        return {"requested": "joined", None: "invited"}.get(state, state)
    if move == "withdraw":
        return None if state == "invited" else state
    if move == "join":  # private: an invitation is accepted, anyone else asks
        return {"invited": "joined", None: "requested"}.get(state, state)
    if move == "manager":
        return "manager"
    if move == "member":
        return "joined"
    return None  # leave, remove, unjoin


def request(move: CourseMove, course: int, user: int, *, creator: str, token: str) -> tuple[str, str, dict]:
    """(method, path, httpx keyword arguments) of ``move``."""
    path = f"{COURSES}{course}/"
    as_creator, as_user = bearer(creator), bearer(token)
    return {
        "invite": ("POST", path + "invite/", {"json": {"users": [user]}, "headers": as_creator}),
        "withdraw": ("DELETE", path + "invite/", {"json": {"users": [user]}, "headers": as_creator}),
        "join": ("POST", path + "join/", {"headers": as_user}),
        "leave": ("DELETE", path + "join/", {"headers": as_user}),
        "remove": ("DELETE", path + "join/", {"params": {"user": user}, "headers": as_creator}),
        "manager": ("POST", path + "role/", {"json": {"managers": [user]}, "headers": as_creator}),
        "member": ("POST", path + "role/", {"json": {"joined": [user]}, "headers": as_creator}),
        "unjoin": ("POST", path + "role/", {"json": {"unjoined": [user]}, "headers": as_creator}),
    }[move]


def test_racing_course_changes_end_in_the_modelled_state(reference: Reference) -> None:
    seed = int(os.environ.get("SCALE_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    user_ids = reference.seed(USERS + 1)
    creator_id, users = user_ids[0], user_ids[1 : USERS + 1]
    creator = reference.token(creator_id)
    tokens = {user: reference.token(user) for user in users}
    plans = {user: [rng.choice(MOVES) for _ in range(rng.randint(*STEPS))] for user in users}
    statuses: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []

    async def scenario(client: httpx.AsyncClient) -> int:
        created = await client.post(
            COURSES,
            json={"name": f"Race {seed}", "type": "self-paced", "privacy": "private"},
            headers=bearer(creator),
        )
        assert created.status_code == 201, created.text
        course = int(created.json()["id"])
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def send(kind: str, method: str, path: str, kwargs: dict, expected: int) -> None:
            async with gate:
                try:
                    response = await client.request(method, path, **kwargs)
                except httpx.TransportError as error:
                    failures.append(f"{kind}: no answer ({type(error).__name__})")
                    return
            statuses[(kind, response.status_code)] += 1
            if response.status_code != expected:
                failures.append(f"{kind} {path}: {response.status_code} {response.text[:200]}")

        async def run_user(user: int) -> None:
            for move in plans[user]:
                method, path, kwargs = request(move, course, user, creator=creator, token=tokens[user])
                expected = 200 if move == "join" else 204
                await asyncio.gather(
                    *(send(move, method, path, kwargs, expected) for _ in range(rng.randint(*DUPLICATES)))
                )

        async def attack_the_creator() -> None:
            """What must never change the creator, sent while everything else runs."""
            path = f"{COURSES}{course}/"
            attempts = [
                ("creator leaves", "DELETE", path + "join/", {"headers": bearer(creator)}, 403),
                ("creator removed", "DELETE", path + "join/",
                 {"params": {"user": creator_id}, "headers": bearer(creator)}, 400),
                ("creator unjoined", "POST", path + "role/",
                 {"json": {"unjoined": [creator_id]}, "headers": bearer(creator)}, 400),
                ("creator demoted", "POST", path + "role/",
                 {"json": {"joined": [users[0], creator_id]}, "headers": bearer(creator)}, 400),
            ]  # fmt: skip
            for _ in range(3):
                await asyncio.gather(*(send(*attempt) for attempt in attempts))

        await asyncio.gather(attack_the_creator(), *(run_user(user) for user in users))
        return course

    async def final_state(client: httpx.AsyncClient, course: int) -> list[str]:
        expected: dict[int, State] = {}
        for user, moves in plans.items():
            state: State = None
            for move in moves:
                state = step(move, state)
            expected[user] = state
        expected[creator_id] = "creator"
        problems = []
        for user, state in expected.items():
            token = creator if user == creator_id else tokens[user]
            seen = (await client.get(f"{COURSES}{course}/status/", headers=bearer(token))).json()["status"]
            if seen != state:
                problems.append(f"user {user}: {seen!r}, expected {state!r}")
        lists = {"invited": "invite/", "requested": "request_join/"}
        lists |= {state: f"join/?statuses={state}" for state in ("creator", "manager", "joined")}
        for state, tail in lists.items():
            page = (await client.get(f"{COURSES}{course}/{tail}&limit=100".replace("/&", "/?"),
                                     headers=bearer(creator))).json()  # fmt: skip
            listed = [item["id"] for item in page["results"]]
            want = sorted(user for user, held in expected.items() if held == state)
            if sorted(listed) != want or page["count"] != len(listed):
                problems.append(f"{state}: listed {sorted(listed)} (count {page['count']}), expected {want}")
        return problems

    async def main(base_url: str) -> tuple[int, list[str]]:
        async with httpx.AsyncClient(
            base_url=base_url, limits=client_limits(IN_FLIGHT), timeout=60
        ) as client:
            course = await scenario(client)
            return course, await final_state(client, course)

    with reference.server(workers=2) as server:
        _course, problems = asyncio.run(main(server.base_url))
        errors_logged = logged_exceptions(server)

    summary = f"seed {seed} (rerun with SCALE_SEED={seed}); statuses {dict(statuses)}"
    assert not failures, "\n".join([summary, *failures[:20], "server log:", *errors_logged[-20:]])
    assert not problems, f"{summary}\n" + "\n".join(problems[:20])
    stored = invariant_problems(reference.database_url)
    assert not stored, f"{summary}\n" + "\n".join(stored[:20])


def test_racing_creates_of_one_name_make_one_course(reference: Reference) -> None:
    """Course names are unique (reading 70): of many concurrent creates of one name on two workers, one is
    201 and the others 400 (a name taken meanwhile is caught by the unique index), never a 5xx."""
    creator_id = reference.seed(1)[0]
    token = reference.token(creator_id)
    body = {"name": "One name, many creators", "type": "self-paced", "privacy": "open"}

    async def create_many(base_url: str) -> list[int]:
        async with httpx.AsyncClient(
            base_url=base_url, limits=client_limits(IN_FLIGHT), timeout=60
        ) as client:
            answers = await asyncio.gather(
                *(client.post(COURSES, json=body, headers=bearer(token)) for _ in range(IN_FLIGHT))
            )
        return [answer.status_code for answer in answers]

    with reference.server(workers=2) as server:
        codes = asyncio.run(create_many(server.base_url))
        errors_logged = logged_exceptions(server)
    assert sorted(Counter(codes).items()) == [(201, 1), (400, IN_FLIGHT - 1)], (codes, errors_logged[-5:])
    assert not invariant_problems(reference.database_url)
