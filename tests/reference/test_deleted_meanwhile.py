"""On PostgreSQL, a change that passes the access gate while a deletion of its resource is under way: it
waits for the resource's lock, then answers 404 and leaves nothing behind, as if the gate had seen the
resource gone (``repository.lock``). Without the check after the lock, a change that inserts a membership
failed on the foreign key (500) and one that removes memberships answered as if the resource were there."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select

from reference_impl import repository, settings, storage
from reference_impl.families import FAMILIES
from tests.conftest import ReferenceServer
from tests.reference.conftest import Accounts, event_body
from tests.reference.courses import course_body

pytestmark = pytest.mark.postgres

MANAGER, OTHER = "deleting-manager", "late-user"


@dataclass(frozen=True)
class Change:
    """A change of one resource's memberships, sent by ``actor``; ``{other}`` in a body is OTHER's id."""

    family: str
    method: str
    suffix: str
    actor: str = MANAGER
    body: Any = None
    create: Callable[[], dict[str, Any]] = lambda: event_body(privacy="public")


GROUP = {"name": "Group deleted meanwhile", "privacy": "public"}
CHANGES = {
    "event-invite-one": Change("event", "POST", "invite/", body={"users": ["{other}"]}),
    "event-invite-list": Change("event", "POST", "invite/", body={"users": ["{other}", "{manager}"]}),
    "event-remove-invitation": Change("event", "DELETE", "invite/", body={"users": ["{other}"]}),
    "event-subscribe": Change("event", "POST", "subscribe/", actor=OTHER),
    "event-delete": Change("event", "DELETE", ""),
    "group-invite": Change("group", "POST", "invite/", body={"users": ["{other}"]}, create=lambda: GROUP),
    "group-subscribe": Change("group", "POST", "subscribe/", actor=OTHER, create=lambda: GROUP),
    "course-invite": Change(
        "course", "POST", "invite/", body={"users": ["{other}"]}, create=lambda: course_body(privacy="open")
    ),
    "course-join": Change("course", "POST", "join/", actor=OTHER, create=lambda: course_body(privacy="open")),
    "course-role": Change(
        "course", "POST", "role/", body={"managers": ["{other}"]}, create=lambda: course_body(privacy="open")
    ),
}


def _filled(body: Any, ids: dict[str, int]) -> Any:
    if isinstance(body, dict):
        return {key: _filled(value, ids) for key, value in body.items()}
    if isinstance(body, list):
        return [_filled(item, ids) for item in body]
    return ids[body[1:-1]] if isinstance(body, str) and body.startswith("{") else body


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_after_a_concurrent_deletion_answers_404_and_leaves_nothing(
    postgres_server: ReferenceServer, change: Change
) -> None:
    family = FAMILIES[change.family]
    server = postgres_server
    accounts = Accounts(server.database_url)
    headers = {name: accounts.headers(name) for name in (MANAGER, OTHER)}
    ids = {"manager": accounts.id(MANAGER), "other": accounts.id(OTHER)}
    accounts.close()
    collection = f"/api/v2/{change.family}/"
    engine = storage.make_engine(settings.database_url(server.database_url))
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        created = client.post(collection, json=change.create(), headers=headers[MANAGER])
        assert created.status_code == 201, created.text
        resource = created.json()["id"]
        # A deletion that has begun holds the resource's lock; the change passes the access gate (the
        # resource is still there) and waits for the lock.
        with engine.connect() as deleting, ThreadPoolExecutor(max_workers=1) as pool:
            deleting.begin()
            repository.delete_resource(deleting, family, resource)
            pending = pool.submit(
                client.request,
                change.method,
                f"{collection}{resource}/{change.suffix}",
                json=_filled(change.body, ids),
                headers=headers[change.actor],
            )
            _wait_for_an_advisory_lock_wait(server.database_url)
            deleting.commit()
            response = pending.result(timeout=30)
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == f"No {change.family} with id {resource}."
    with engine.connect() as connection:
        left = connection.execute(
            select(func.count()).select_from(family.memberships).where(family.key_column == resource)
        ).scalar_one()
    engine.dispose()
    assert left == 0


def _wait_for_an_advisory_lock_wait(database_url: str, timeout_s: float = 20.0) -> None:
    """Until a session of the database (not of another test's, in the same cluster) waits for an advisory
    lock."""
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(database_url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ).fetchone()
            if waiting and waiting[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the change never waited for the resource's lock")
