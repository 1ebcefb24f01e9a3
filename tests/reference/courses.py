"""The course operations as the course pages document them, over a ``SpecClient`` (every answer validated
against the spec), for the course tests."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tests.reference.conftest import SpecClient

COURSES = "/api/v2/course/"
#: The states of the members list (`statuses`): "only `creator`, `manager` and `joined` are valid".
MEMBER_STATES = ("creator", "manager", "joined")


def course_body(**fields: Any) -> dict[str, Any]:
    """A valid create body with a name no other course has (names are unique)."""
    return {"name": f"Course {uuid.uuid4().hex}", "type": "self-paced", **fields}


class Courses:
    """The course operations, each by what it does, for one server."""

    def __init__(self, api: SpecClient) -> None:
        self.api = api

    def create(self, creator: str, **fields: Any) -> dict[str, Any]:
        response = self.api.post(COURSES, user=creator, json=course_body(**fields))
        assert response.status_code == 201, response.text
        return dict(response.json())

    def new(self, creator: str, privacy: str, **fields: Any) -> int:
        return int(self.create(creator, privacy=privacy, **fields)["id"])

    def info(self, course: int, caller: str | None = None, /, **params: Any) -> httpx.Response:
        return self.api.get(f"{COURSES}{course}/", user=caller, params=params)

    def status(self, course: int, user: str) -> str | None:
        response = self.api.get(f"{COURSES}{course}/status/", user=user)
        assert response.status_code == 200, response.text
        return response.json()["status"]

    def page(self, course: int, listing: str, user: str | None, **params: Any) -> httpx.Response:
        return self.api.get(f"{COURSES}{course}/{listing}/", user=user, params=params)

    def listed(self, course: int, listing: str, user: str | None, **params: Any) -> list[int]:
        """The ids on one page of ``invite``, ``request_join`` or ``join``."""
        response = self.page(course, listing, user, **params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["results"]]

    def join(self, course: int, user: str | None) -> httpx.Response:
        return self.api.post(f"{COURSES}{course}/join/", user=user)

    def leave(self, course: int, caller: str | None, /, **params: Any) -> httpx.Response:
        return self.api.delete(f"{COURSES}{course}/join/", user=caller, params=params)

    def invite(self, course: int, by: str | None, users: list[int]) -> httpx.Response:
        return self.api.post(f"{COURSES}{course}/invite/", user=by, json={"users": users})

    def withdraw(self, course: int, by: str | None, users: list[int]) -> httpx.Response:
        return self.api.delete(f"{COURSES}{course}/invite/", user=by, json={"users": users})

    def role(self, course: int, by: str | None, body: Any = None, **lists: list[int]) -> httpx.Response:
        return self.api.post(f"{COURSES}{course}/role/", user=by, json=lists if body is None else body)

    def members(self, course: int, user: str | None = None, *statuses: str) -> list[int]:
        """The members list of ``statuses`` (all three member states when none is given), as the creator
        sees it unless ``user`` is given."""
        asked = list(statuses or MEMBER_STATES)
        response = self.page(course, "join", user, statuses=asked)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["results"]]
