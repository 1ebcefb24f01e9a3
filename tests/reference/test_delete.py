"""Deleting an event, a group or a course (docs/contract.md, section Deletion): the manager (a course's
creator or managers) only; 204, then the resource and every membership of it are gone, so every operation
on it answers 404; anyone else is refused and nothing changes. On SQLite and PostgreSQL, every answer
validated against the spec."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from openapi.document import shipped
from openapi.families import Action, by_name
from reference_impl.families import FAMILIES
from tests.reference.conftest import People, SpecClient, event_body
from tests.reference.courses import course_body

#: A create body per family: one anyone sees and joins at once.
BODIES = {
    "event": lambda: event_body(privacy="public"),
    "group": lambda: {"name": "Group to delete", "privacy": "public"},
    "course": lambda: course_body(privacy="open"),
}
#: Every operation on one resource after it is gone: (action, body).
AFTERWARDS: tuple[tuple[Action, Any], ...] = (
    ("info", None),
    ("status", None),
    ("members", None),
    ("invited", None),
    ("requested", None),
    ("invite", {"users": []}),
    ("remove_invitation", {"users": []}),
    ("join", None),
    ("leave", None),
    ("delete", None),
)


@pytest.fixture
def server(on_each_database: SpecClient) -> SpecClient:
    """The session's SQLite server, or a server of its own on a fresh PostgreSQL database."""
    return on_each_database


def call(
    api: SpecClient, family: str, action: Action, resource: int, user: str | None, body: Any = None
) -> int:
    operation = by_name(shipped(), family).op(action)
    path = operation.path.replace("{id}", str(resource))
    return api.request(operation.method, path, user=user, json=body).status_code


def create(api: SpecClient, family: str, manager: str) -> int:
    response = api.post(by_name(shipped(), family).op("create").path, user=manager, json=BODIES[family]())
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def stored(api: SpecClient, family: str, resource: int) -> tuple[int, int]:
    """(rows of the resource, rows of its memberships) in the server's database."""
    stored_family = FAMILIES[family]
    with api.accounts.engine.connect() as connection:
        rows = connection.execute(
            select(func.count()).select_from(stored_family.table).where(stored_family.table.c.id == resource)
        ).scalar_one()
        memberships = connection.execute(
            select(func.count())
            .select_from(stored_family.memberships)
            .where(stored_family.key_column == resource)
        ).scalar_one()
    return int(rows), int(memberships)


@pytest.mark.parametrize("family", ["event", "group", "course"])
def test_the_manager_deletes_and_everything_about_it_is_gone(server: SpecClient, family: str) -> None:
    api, people = server, People(server.accounts)
    manager, member, guest = people.manager, people.member, people.guest
    resource = create(api, family, manager)
    assert call(api, family, "join", resource, member) in (200, 204)
    assert call(api, family, "invite", resource, manager, {"users": [people.id(guest)]}) == 204
    assert stored(api, family, resource) == (1, 3)

    response = api.delete(
        by_name(shipped(), family).op("delete").path.replace("{id}", str(resource)), user=manager
    )
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert stored(api, family, resource) == (0, 0)
    for action, body in AFTERWARDS:
        for user in (manager, member, guest):
            assert call(api, family, action, resource, user, body) == 404, (action, user)


@pytest.mark.parametrize("family", ["event", "group", "course"])
def test_anyone_else_is_refused_and_nothing_changes(server: SpecClient, family: str) -> None:
    api, people = server, People(server.accounts)
    manager, member, stranger = people.manager, people.member, people.stranger
    resource = create(api, family, manager)
    assert call(api, family, "join", resource, member) in (200, 204)
    before = stored(api, family, resource)

    assert call(api, family, "delete", resource, None) == 401
    assert call(api, family, "delete", resource, member) == 403
    assert call(api, family, "delete", resource, stranger) == 403
    assert stored(api, family, resource) == before == (1, 2)
    assert call(api, family, "status", resource, member) == 200
    assert call(api, family, "info", resource, manager) == 200


@pytest.mark.parametrize("family", ["event", "group", "course"])
def test_an_unknown_id_is_not_found(server: SpecClient, family: str) -> None:
    api, people = server, People(server.accounts)
    assert call(api, family, "delete", 2**62, people.manager) == 404
    assert call(api, family, "delete", 2**63, people.manager) == 404  # beyond what a database stores


def test_a_course_manager_who_is_not_its_creator_deletes_it(server: SpecClient) -> None:
    api, people = server, People(server.accounts)
    creator, manager = people.creator, people.manager
    course = create(api, "course", creator)
    assert call(api, "course", "role", course, creator, {"managers": [people.id(manager)]}) == 204
    assert call(api, "course", "delete", course, manager) == 204
    assert stored(api, "course", course) == (0, 0)
