"""One transaction per request: committed before the answer is sent, rolled back when the request fails."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from reference_impl import settings, storage
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, Accounts, event_body

# A fault on the database side, after the handler has written: invitations cannot be stored.
REFUSE_INVITATIONS = {
    "sqlite": [
        "CREATE TRIGGER refuse_invitations BEFORE INSERT ON memberships WHEN NEW.status = 'invited' "
        "BEGIN SELECT RAISE(ABORT, 'invitations are refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_invitations() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'invitations are refused'; END $$",
        "CREATE TRIGGER refuse_invitations BEFORE INSERT ON memberships FOR EACH ROW "
        "WHEN (NEW.status = 'invited') EXECUTE FUNCTION refuse_invitations()",
    ],
}
ALLOW_INVITATIONS = {
    "sqlite": ["DROP TRIGGER refuse_invitations"],
    "postgresql": ["DROP TRIGGER refuse_invitations ON memberships", "DROP FUNCTION refuse_invitations()"],
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else request.getfixturevalue("postgres_url")


@pytest.fixture
def engine_of() -> Iterator[list[Engine]]:
    made: list[Engine] = []
    yield made
    for engine in made:
        engine.dispose()


def _engine(url: str, made: list[Engine]) -> Engine:
    """The server's database, reached directly, not through the server."""
    engine = storage.make_engine(settings.database_url(url))
    made.append(engine)
    return engine


def _run(engine: Engine, statements: dict[str, list[str]]) -> None:
    with engine.begin() as connection:
        for statement in statements[engine.dialect.name]:
            connection.execute(text(statement))


def _events_named(engine: Engine, name: str) -> int:
    with engine.connect() as connection:
        count = select(func.count()).select_from(storage.events).where(storage.events.c.name == name)
        return int(connection.execute(count).scalar_one())


def test_a_request_that_wrote_and_then_failed_changes_nothing(
    reference_server_factory: ReferenceServerFactory, database_url: str | None, engine_of: list[Engine]
) -> None:
    """Create stores the event and its manager's membership, then fails on the invitations: 500, no event."""
    server = reference_server_factory(database_url)
    accounts = Accounts(server.database_url)
    manager, guest = accounts.headers("manager"), accounts.id("guest")
    accounts.close()
    engine = _engine(server.database_url, engine_of)
    body = event_body(name=f"half-made {uuid.uuid4().hex}", invite_users=[guest])
    _run(engine, REFUSE_INVITATIONS)
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        failed = client.post(EVENTS, json=body, headers=manager)
        assert failed.status_code == 500, failed.text
        assert _events_named(engine, body["name"]) == 0
        # The server goes on: the same request succeeds once the database accepts invitations.
        _run(engine, ALLOW_INVITATIONS)
        created = client.post(EVENTS, json=body, headers=manager)
        assert created.status_code == 201, created.text
    assert _events_named(engine, body["name"]) == 1


def test_a_change_is_committed_before_its_answer_is_sent(
    reference_server_factory: ReferenceServerFactory, database_url: str | None, engine_of: list[Engine]
) -> None:
    """Right after each 204, another connection to the database sees the invitation."""
    server = reference_server_factory(database_url)
    accounts = Accounts(server.database_url)
    manager = accounts.headers("committer")
    guests = [accounts.id(f"guest-{n}") for n in range(20)]
    accounts.close()
    engine = _engine(server.database_url, engine_of)
    memberships = storage.memberships
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        event = client.post(EVENTS, json=event_body(), headers=manager).json()["id"]
        for guest in guests:
            answer = client.post(f"{EVENTS}{event}/invite/", json={"users": [guest]}, headers=manager)
            assert answer.status_code == 204, answer.text
            with engine.connect() as connection:
                status = connection.execute(
                    select(memberships.c.status).where(
                        memberships.c.event_id == event, memberships.c.user_id == guest
                    )
                ).scalar()
            assert status == "invited"
