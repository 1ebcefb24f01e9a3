"""Concurrent changes to one event: no 5xx, and the outcome any serial order would give."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, Accounts, event_body

# Up to 100 concurrent writers: one xdist worker runs these and the other racing tests in turn.
pytestmark = pytest.mark.xdist_group("serial")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def test_subscribe_and_invite_race_ends_subscribed(
    reference_server_factory: ReferenceServerFactory, database_url: str | None
) -> None:
    server = reference_server_factory(database_url, workers=2)
    accounts = Accounts(server.database_url)
    users = [f"racer-{n}" for n in range(24)]
    headers = {user: accounts.headers(user) for user in [*users, "race-manager"]}
    ids = {user: accounts.id(user) for user in users}
    accounts.close()
    manager = headers["race-manager"]
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        event = client.post(EVENTS, json=event_body(), headers=manager).json()["id"]

        def subscribe(user: str) -> int:
            return client.post(f"{EVENTS}{event}/subscribe/", headers=headers[user]).status_code

        def invite(user: str) -> int:
            body = {"users": [ids[user]]}
            return client.post(
                f"{EVENTS}{event}/invite/", json=body, headers=headers["race-manager"]
            ).status_code

        # Whichever comes first, request + acceptance or invitation + acceptance, ends in "subscribed".
        with ThreadPoolExecutor(max_workers=12) as pool:
            futures = [pool.submit(action, user) for user in users for action in (subscribe, invite)]
            statuses = [future.result() for future in futures]
        assert statuses == [204] * len(statuses)
        for user in users:
            assert client.get(f"{EVENTS}{event}/status/", headers=headers[user]).json() == {
                "status": "subscribed"
            }
        members = client.get(
            f"{EVENTS}{event}/subscribe/", params={"limit": 100}, headers=headers["race-manager"]
        )
        assert members.json()["count"] == len(users) + 1


def test_more_writers_than_worker_threads_on_one_event(
    reference_server_factory: ReferenceServerFactory, database_url: str | None
) -> None:
    """More concurrent writes to one event than the server has worker threads (40) must not hang."""
    server = reference_server_factory(database_url, workers=1)
    accounts = Accounts(server.database_url)
    users = [accounts.id(f"crowd-{n}") for n in range(120)]
    manager = accounts.headers("crowd-manager")
    accounts.close()
    with httpx.Client(
        base_url=server.base_url, timeout=30, limits=httpx.Limits(max_connections=100)
    ) as client:
        event = client.post(EVENTS, json=event_body(), headers=manager).json()["id"]

        def invite(user_id: int) -> int:
            return client.post(
                f"{EVENTS}{event}/invite/", json={"users": [user_id]}, headers=manager
            ).status_code

        with ThreadPoolExecutor(max_workers=100) as pool:
            statuses = list(pool.map(invite, users))
        assert statuses == [204] * len(users)
        assert client.get(f"{EVENTS}{event}/invite/", headers=manager).json()["count"] == len(users)
