"""The contract's rules live in the schema too: SQLite and PostgreSQL refuse rows that break them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from reference_impl import repository, settings, storage
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, event_body


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rules.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = storage.make_engine(settings.database_url(database_url))
    storage.create_schema(engine)
    yield engine
    engine.dispose()


def _event_with_member(connection: Connection) -> tuple[int, int, int]:
    manager = repository.get_or_create_user(connection, "manager")
    member = repository.get_or_create_user(connection, "member")
    event = repository.create_event(connection, {"name": "rules", "privacy": "private"}, manager.id)
    return event, manager.id, member.id


def _refused(engine: Engine, **membership: object) -> None:
    with engine.connect() as connection:
        event, _, member = _event_with_member(connection)
        values = {"event_id": event, "user_id": member, "status": "invited", **membership}
        with pytest.raises(IntegrityError):
            connection.execute(insert(storage.memberships).values(**values))


def test_one_membership_per_event_and_user(engine: Engine) -> None:
    with engine.connect() as connection:
        event, manager, _ = _event_with_member(connection)
        with pytest.raises(IntegrityError):
            connection.execute(
                insert(storage.memberships).values(event_id=event, user_id=manager, status="invited")
            )


@pytest.mark.parametrize("status", ["going", "declined", ""])
def test_status_outside_the_contract_is_refused(engine: Engine, status: str) -> None:
    _refused(engine, status=status)


def test_membership_of_a_missing_user_is_refused(engine: Engine) -> None:
    _refused(engine, user_id=10**9)


def test_membership_of_a_missing_event_is_refused(engine: Engine) -> None:
    _refused(engine, event_id=10**9)


def test_event_fields_are_checked(engine: Engine) -> None:
    with engine.connect() as connection:
        manager = repository.get_or_create_user(connection, "manager")
        with pytest.raises(IntegrityError):
            repository.create_event(connection, {"name": "rules", "privacy": "secret"}, manager.id)


def test_sqlite_file_is_created_in_wal_mode_with_foreign_keys(
    reference_server_factory: ReferenceServerFactory,
) -> None:
    server = reference_server_factory()
    path = make_url(server.database_url).database
    assert path and Path(path).exists()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "events", "memberships", "settings"} <= tables
    engine = storage.make_engine(server.database_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_server_on_postgres(reference_server_factory: ReferenceServerFactory, postgres_url: str) -> None:
    """The lifecycle's main steps on PostgreSQL, from a plain postgresql:// URL."""
    server = reference_server_factory(postgres_url)
    with httpx.Client(base_url=server.base_url) as client:
        manager, asker, guest = (server.headers(name) for name in ("manager", "asker", "guest"))
        created = client.post(EVENTS, json=event_body(), headers=manager)
        assert created.status_code == 201, created.text
        event = created.json()["id"]
        assert client.post(f"{EVENTS}{event}/subscribe/", headers=asker).status_code == 204
        users = [server.user_id("asker"), server.user_id("guest")]
        assert (
            client.post(f"{EVENTS}{event}/invite/", json={"users": users}, headers=manager).status_code == 204
        )
        assert client.get(f"{EVENTS}{event}/status/", headers=asker).json() == {"status": "subscribed"}
        assert client.get(f"{EVENTS}{event}/status/", headers=guest).json() == {"status": "invited"}
        bad = client.post(f"{EVENTS}{event}/invite/", json={"users": [2**63]}, headers=manager)
        assert bad.status_code == 400
        assert client.get(f"{EVENTS}{2**63}/status/", headers=guest).status_code == 404
    engine = storage.make_engine(settings.database_url(postgres_url))
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(
                select(storage.memberships.c.user_id, storage.memberships.c.status).where(
                    storage.memberships.c.event_id == event
                )
            ).all()
        )
    engine.dispose()
    assert statuses == {server.user_id("manager"): "subscribed", users[0]: "subscribed", users[1]: "invited"}
