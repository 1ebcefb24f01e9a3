"""POST invite's own answers beyond access, on each database: unknown users (400, nothing changed),
pending requests accepted and the others invited; and on PostgreSQL, where the invitation's checks and
change are one call that runs after the access gate, an invitation that comes after a concurrent
deletion of its event (404, nothing left behind)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest
from sqlalchemy import func, select

from reference_impl import repository, settings, storage
from reference_impl.families import EVENT
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, Accounts, People, SpecClient, event_body

UNKNOWN_ID = 2**62  # a storable id that names no user


@pytest.mark.parametrize("listed", [[UNKNOWN_ID], ["known", UNKNOWN_ID, UNKNOWN_ID + 1]])
def test_an_unknown_user_is_refused_and_nothing_changes(
    on_each_database: SpecClient, listed: list[int | str]
) -> None:
    api = on_each_database
    people = People(api.accounts)
    event = api.create_event(people.manager)
    ids = [people.id(people.known) if item == "known" else item for item in listed]
    response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, json={"users": ids})
    assert response.status_code == 400, response.text
    unknown = ", ".join(str(item) for item in ids if item != people.id(people.known))
    assert f"No user with id {unknown}; nothing was changed." in response.json()["detail"]
    assert api.listed(event, "invite", people.manager) == []
    assert api.invite(event, people.manager, [people.id(people.known)]).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(people.known)]


@pytest.mark.parametrize("together", [False, True])
def test_an_invitation_accepts_pending_requests_and_invites_the_others(
    on_each_database: SpecClient, together: bool
) -> None:
    """One user per request, or one list: requesters become subscribers, the others invited, in list order;
    inviting again changes nothing."""
    api = on_each_database
    people = People(api.accounts)
    event = api.create_event(people.manager)
    for requester in (people.first_requester, people.second_requester):
        assert api.post(f"{EVENTS}{event}/subscribe/", user=requester).status_code == 204
    listed = [
        people.id(name)
        for name in (people.invitee, people.second_requester, people.other, people.first_requester)
    ]
    for ids in [listed] if together else [[user] for user in listed]:
        assert api.invite(event, people.manager, ids).status_code == 204
    assert api.invite(event, people.manager, listed).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(people.invitee), people.id(people.other)]
    assert api.listed(event, "request_subscribe", people.manager) == []
    subscribers = api.listed(event, "subscribe", people.manager)
    assert subscribers == [
        people.id(people.manager),
        people.id(people.second_requester),
        people.id(people.first_requester),
    ]
    assert api.status(event, people.first_requester) == "subscribed"


@pytest.mark.postgres
@pytest.mark.parametrize("users", [1, 3])
def test_an_invitation_after_a_concurrent_deletion_answers_404_and_leaves_nothing(
    reference_server_factory: ReferenceServerFactory, postgres_url: str, users: int
) -> None:
    server = reference_server_factory(postgres_url)
    accounts = Accounts(server.database_url)
    manager = accounts.headers("deleting-manager")
    invitees = [accounts.id(f"late-invitee-{n}") for n in range(users)]
    accounts.close()
    engine = storage.make_engine(settings.database_url(postgres_url))
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        event = client.post(EVENTS, json=event_body(), headers=manager).json()["id"]
        # A deletion that has begun: it holds the event's lock; the invitation passes the access gate
        # (the event is still there) and waits for the lock.
        with engine.connect() as deleting, ThreadPoolExecutor(max_workers=1) as pool:
            deleting.begin()
            repository.delete_resource(deleting, EVENT, event)
            invited = pool.submit(
                client.post, f"{EVENTS}{event}/invite/", json={"users": invitees}, headers=manager
            )
            _wait_for_an_advisory_lock_wait(postgres_url)
            deleting.commit()
            response = invited.result(timeout=30)
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == f"No event with id {event}."
    with engine.connect() as connection:
        left = connection.execute(
            select(func.count()).select_from(EVENT.memberships).where(EVENT.key_column == event)
        ).scalar_one()
    engine.dispose()
    assert left == 0


def _wait_for_an_advisory_lock_wait(postgres_url: str, timeout_s: float = 20.0) -> None:
    """Until a session of the database waits for an advisory lock."""
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(postgres_url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()
            if waiting and waiting[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the invitation never waited for the event's lock")
