"""On PostgreSQL the access gate decides an event's or a group's invitation on the caller's and the
resource's rows as an earlier invitation read them, and the invitation's function verifies their versions
before it changes anything (``reference_impl.kept_reads``). Whatever changed those rows since, by the API
or behind the server's back, the answer is the one a fresh read gives, and a refused invitation writes
nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, update

from reference_impl import community, settings, storage
from reference_impl.access import policies_from_spec
from reference_impl.app import _kept_read_operations, load_spec, served
from reference_impl.families import FAMILIES
from reference_impl.kept_reads import GateRead, KeptReads, RowVersions
from reference_impl.storage import users
from tests.reference.conftest import SpecClient, event_body

FAMILY_BODIES = {
    "event": lambda: event_body(privacy="private"),
    "group": lambda: {"name": f"Kept reads group {uuid.uuid4().hex[:6]}", "privacy": "private"},
}


@dataclass
class Scene:
    """A resource of one family on the session's PostgreSQL server, its manager and two more users."""

    api: SpecClient
    family: str
    resource: int
    manager: str
    other: str

    @property
    def path(self) -> str:
        return f"/api/v2/{self.family}/{self.resource}/"

    def user(self, name: str) -> int:
        return self.api.accounts.id(f"{name}-{self.manager}")

    def invite(self, as_user: str, ids: list[int]) -> Any:
        return self.api.post(f"{self.path}invite/", user=as_user, json={"users": ids})

    def invited(self, as_user: str) -> list[int]:
        response = self.api.get(f"{self.path}invite/", user=as_user, params={"limit": 100})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["results"]]

    def memberships(self) -> int:
        family = FAMILIES[self.family]
        with self.api.accounts.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(family.memberships)
                    .where(family.key_column == self.resource)
                ).scalar_one()
            )

    def change_behind_the_server(self, statement: Any) -> None:
        with self.api.accounts.engine.begin() as connection:
            connection.execute(statement)


@pytest.fixture(params=sorted(FAMILY_BODIES))
def scene(request: pytest.FixtureRequest, postgres_api: SpecClient) -> Scene:
    suffix = uuid.uuid4().hex[:8]
    manager, other = f"kept-manager-{suffix}", f"kept-other-{suffix}"
    response = postgres_api.post(
        f"/api/v2/{request.param}/", user=manager, json=FAMILY_BODIES[request.param]()
    )
    assert response.status_code == 201, response.text
    made = Scene(postgres_api, request.param, int(response.json()["id"]), manager, other)
    postgres_api.accounts.id(other)
    # The first invitation reads the rows and keeps them for the next ones.
    assert made.invite(manager, [made.user("first")]).status_code == 204
    return made


pytestmark = pytest.mark.postgres


def test_an_invitation_after_the_resource_is_deleted_answers_404_before_any_400(scene: Scene) -> None:
    assert scene.api.delete(scene.path, user=scene.manager).status_code == 204
    unknown_user = 2**62
    response = scene.invite(scene.manager, [scene.user("late"), unknown_user])
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == f"No {scene.family} with id {scene.resource}."
    assert scene.memberships() == 0


def test_a_manager_changed_behind_the_server_is_refused_on_the_rows_read_now(scene: Scene) -> None:
    table = FAMILIES[scene.family].table
    new_manager = scene.api.accounts.id(scene.other)
    scene.change_behind_the_server(
        update(table).where(table.c.id == scene.resource).values(managed_by=new_manager)
    )
    refused = scene.user("refused")
    response = scene.invite(scene.manager, [refused])
    assert response.status_code == 403, response.text
    assert refused not in scene.invited(scene.other)
    # The new manager's invitation goes through, and the old one stays refused.
    assert scene.invite(scene.other, [refused]).status_code == 204
    assert refused in scene.invited(scene.other)
    assert scene.invite(scene.manager, [scene.user("again")]).status_code == 403


def test_a_caller_changed_behind_the_server_is_decided_again_and_invites(scene: Scene) -> None:
    manager_id = scene.api.accounts.id(scene.manager)
    scene.change_behind_the_server(update(users).where(users.c.id == manager_id).values(real_name="Renamed"))
    invited = scene.user("after-rename")
    assert scene.invite(scene.manager, [invited]).status_code == 204
    assert invited in scene.invited(scene.manager)


def test_an_unknown_user_on_kept_rows_is_still_a_400_that_changes_nothing(scene: Scene) -> None:
    before = scene.memberships()
    response = scene.invite(scene.manager, [scene.user("known"), 2**62])
    assert response.status_code == 400, response.text
    assert str(2**62) in response.json()["detail"]
    assert scene.memberships() == before


def _read(caller: int, resource: int) -> GateRead:
    row = (caller,)
    return GateRead(row, (resource,), RowVersions(caller=caller, resource=resource))  # type: ignore[arg-type]


def test_kept_reads_hold_the_most_recently_used() -> None:
    kept = KeptReads(size=2)
    kept.keep((1, "event", 10), _read(1, 10))
    kept.keep((1, "event", 11), _read(1, 11))
    assert kept.get((1, "event", 10)) is not None  # now the most recently used
    kept.keep((1, "event", 12), _read(1, 12))
    assert len(kept) == 2
    assert kept.get((1, "event", 11)) is None
    assert kept.get((1, "event", 10)) == _read(1, 10)
    kept.forget((1, "event", 10))
    assert kept.get((1, "event", 10)) is None


@pytest.fixture
def policies() -> Iterator[dict[str, Any]]:
    spec = served(load_spec(settings.spec_path(None)))
    yield policies_from_spec(spec, community.resolve(environment=None))


def test_only_invitations_decided_on_the_two_rows_keep_them_and_only_through_asyncpg(
    policies: dict[str, Any], postgres_api: SpecClient, tmp_path: Any
) -> None:
    psycopg_engine = postgres_api.accounts.engine
    asyncpg_engine = storage.request_engine(psycopg_engine)
    sqlite_engine = create_engine(f"sqlite:///{tmp_path / 'kept.sqlite3'}")
    try:
        # A course's invitation is decided on memberships (its managers), so it reads them every time.
        assert _kept_read_operations(asyncpg_engine, policies) == {"inviteUsersToEvent", "inviteUsersToGroup"}
        assert _kept_read_operations(psycopg_engine, policies) == frozenset()
        assert _kept_read_operations(sqlite_engine, policies) == frozenset()
    finally:
        asyncpg_engine.dispose()
        sqlite_engine.dispose()
