"""How changes to one resource wait for each other on PostgreSQL, and what an invitation writes.

Each PostgreSQL test holds transactions open side by side on their own connections and checks, with a
short ``lock_timeout``, who may go on and who must wait: one-user invitations share the resource's lock,
every other change of memberships takes it alone. Which operations' access decisions read memberships
(and so take the lock in the access gate) is checked on the shipped document.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import OperationalError

from openapi.document import shipped
from reference_impl import repository, settings, storage
from reference_impl.access_policy import policies_from_spec
from reference_impl.families import COURSE, EVENT, FAMILIES, StoredFamily

postgres = pytest.mark.postgres

Change = Callable[[Connection], None]


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = storage.make_engine(settings.database_url(postgres_url))
    storage.create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def event_and_users(engine: Engine) -> tuple[int, list[int]]:
    with engine.begin() as connection:
        users = repository.create_users(connection, 6, "locker")
        event = repository.create_event(connection, {"name": "locks", "privacy": "private"}, users[0])
    return event, users


def _waits(engine: Engine, change: Change) -> bool:
    """Whether ``change`` has to wait for a lock another open transaction holds (it is rolled back)."""
    with engine.connect() as connection:
        connection.begin()
        connection.execute(text("SET LOCAL lock_timeout = '300ms'"))
        try:
            change(connection)
        except (OperationalError, psycopg.errors.LockNotAvailable) as error:  # through SQLAlchemy or not
            assert "lock timeout" in str(error)
            return True
        finally:
            connection.rollback()
    return False


def _invite(event: int, *users: int) -> Change:
    return lambda connection: repository.invite(connection, EVENT, event, list(users))


@postgres
def test_one_user_invitations_share_the_lock_and_the_rest_wait(
    engine: Engine, event_and_users: tuple[int, list[int]]
) -> None:
    event, users = event_and_users
    with engine.connect() as holder, holder.begin() as held:
        _invite(event, users[1])(holder)  # open: it holds the shared lock
        assert not _waits(engine, _invite(event, users[2]))
        assert _waits(engine, _invite(event, users[3], users[4]))
        assert _waits(engine, lambda c: repository.leave(c, EVENT, event, users[0]))
        assert _waits(engine, lambda c: repository.remove_invitations(c, EVENT, event, [users[1]]))
        assert _waits(engine, lambda c: repository.join(c, EVENT, event, users[5], at_once=False))
        assert _waits(engine, lambda c: repository.subscribe_users(c, EVENT, event, [users[5]]))
        held.commit()
    assert not _waits(engine, _invite(event, users[3], users[4]))


@postgres
def test_a_change_alone_makes_one_user_invitations_wait(
    engine: Engine, event_and_users: tuple[int, list[int]]
) -> None:
    event, users = event_and_users
    with engine.connect() as holder, holder.begin() as held:
        repository.leave(holder, EVENT, event, users[5])  # open: it holds the lock alone
        assert _waits(engine, _invite(event, users[1]))
        held.rollback()
    assert not _waits(engine, _invite(event, users[1]))


@postgres
def test_other_resources_do_not_wait(engine: Engine, event_and_users: tuple[int, list[int]]) -> None:
    event, users = event_and_users
    with engine.begin() as connection:
        other = repository.create_event(connection, {"name": "other", "privacy": "private"}, users[0])
    with engine.connect() as holder, holder.begin() as held:
        repository.leave(holder, EVENT, event, users[5])
        assert not _waits(engine, _invite(other, users[1], users[2]))
        held.rollback()


@postgres
def test_course_changes_use_the_same_lock(engine: Engine, event_and_users: tuple[int, list[int]]) -> None:
    """A course's one-user invitations share its lock too; its role changes and joins take it alone."""
    _, users = event_and_users
    with engine.begin() as connection:
        course = repository.create(connection, COURSE, _private(), users[0])
    with engine.connect() as holder, holder.begin() as held:
        repository.invite(holder, COURSE, course, [users[1]])
        assert not _waits(engine, lambda c: repository.invite(c, COURSE, course, [users[2]]))
        assert _waits(engine, lambda c: repository.set_state(c, COURSE, course, [users[3]], "manager"))
        assert _waits(engine, lambda c: repository.join(c, COURSE, course, users[4], at_once=True))
        held.rollback()
    with engine.connect() as holder, holder.begin() as held:
        repository.set_state(holder, COURSE, course, [users[3]], "manager")
        assert _waits(engine, lambda c: repository.invite(c, COURSE, course, [users[2]]))
        held.rollback()


EXPECTED_GATE_LOCKS = {
    # operation: whether its access decision reads a membership (the gate then locks the resource)
    "inviteUsersToEvent": False,  # event_manager: the event's manager column
    "inviteUsersToGroup": False,
    "unsubscribeFromEvent": False,
    "inviteUsersToCourse": True,  # course_manager: a membership state, which a role change changes
    "changeUserRoleCourse": True,
    "leaveACourse": True,  # a rule's `when` asks whether the caller is the course_creator
    "getCourseStatus": True,  # course_viewer: the course's GET, which asks for course_member on secret ones
    "joinOrAcceptInviteToCourse": False,  # its handler locks before it reads the caller's state
}


def test_the_gate_locks_where_access_reads_memberships() -> None:
    policies = policies_from_spec(shipped())
    found = {operation: policies[operation].reads_memberships for operation in EXPECTED_GATE_LOCKS}
    assert found == EXPECTED_GATE_LOCKS


def _statuses(connection: Connection, family: StoredFamily, resource: int) -> dict[str, list[int]]:
    table = family.memberships
    rows = connection.execute(
        select(table.c.user_id, table.c.status).where(family.key_column == resource).order_by(table.c.id)
    ).all()
    lists: dict[str, list[int]] = {}
    for user, status in rows:
        lists.setdefault(status, []).append(user)
    return lists


def _private() -> dict[str, object]:
    """A create body of a resource that users ask to join, for every family (a course's type too)."""
    return {"name": f"mixed {uuid.uuid4().hex}", "privacy": "private", "type": "self-paced"}


def _invitation_outcome(url: str, family: StoredFamily) -> dict[str, list[int]]:
    """Two pending requests, one invitation, then one invitation of six users; the lists, by position."""
    engine = storage.make_engine(settings.database_url(url))
    storage.create_schema(engine)
    try:
        with engine.begin() as connection:
            users = repository.create_users(connection, 6, "mixed")
            resource = repository.create(connection, family, _private(), users[0])
            for asker in (users[1], users[2]):
                repository.join(connection, family, resource, asker, at_once=False)
            repository.invite(connection, family, resource, [users[3]])
            repository.invite(
                connection, family, resource, [users[5], users[2], users[0], users[3], users[4], users[1]]
            )
            lists = _statuses(connection, family, resource)
    finally:
        engine.dispose()
    return {status: [users.index(user) for user in ids] for status, ids in lists.items()}


@postgres
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_an_invitation_writes_the_same_lists_on_both_databases(
    postgres_url: str, tmp_path: Path, family: str
) -> None:
    """PostgreSQL runs an invitation as one statement, SQLite as several: the lists are the same, in the
    family's states (the creator, already in, keeps theirs; accepted requests join in list order)."""
    stored = FAMILIES[family]
    expected: dict[str, list[int]] = {stored.creator_state: [0]}
    expected[stored.joined_state] = [*expected.get(stored.joined_state, []), 2, 1]
    expected["invited"] = [3, 5, 4]
    assert _invitation_outcome(f"sqlite:///{tmp_path / 'lists.sqlite3'}", stored) == expected
    assert _invitation_outcome(postgres_url, stored) == expected
