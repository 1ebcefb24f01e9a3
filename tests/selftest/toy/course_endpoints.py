"""A course's operations: the shared lifecycle where the course pages agree with it, their own rules where
they differ (docs/contract.md, rules 55–67; the toy's readings of 68–73 are named where it takes them).

Every method a course keeps from ``FamilyEndpoints`` is the shared behaviour, so an override of the shared
part (a fault of the shared lifecycle) reaches courses too; the methods below are the course pages' own.
"""

from __future__ import annotations

import json
from typing import Literal

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .bodies import ParsedBody
from .course_fields import course_fields
from .course_store import CREATOR, JOINED, LISTED_BY_DEFAULT, MANAGER, MEMBERS, CourseStore
from .endpoints import FamilyEndpoints
from .errors import Refusal
from .store import Resource, ToyUser

DRAFT, OPEN, PRIVATE, SECRET = "", "open", "private", "secret"
VIEWS = ("user", "edit", "dashboard")
# POST role/'s lists, in the order the toy applies them, and the state each gives its users.
ROLE_LISTS: dict[str, str | None] = {"managers": MANAGER, "joined": JOINED, "unjoined": None}
NOT_MANAGING = "Only the creator or a manager of the course may do this."
# What would end or change the creator's role, which nobody may (rule 66).
CreatorAction = Literal["leave.user", "role"]


class CourseEndpoints(FamilyEndpoints):
    """A course's endpoints: who sees it by ``privacy``, creator and managers, roles, joining's answer."""

    MEMBERS_PATH = "join"
    REQUESTS_PATH = "request_join"

    @property
    def courses(self) -> CourseStore:
        assert isinstance(self.store, CourseStore)
        return self.store

    def routes(self) -> list[BaseRoute]:
        return [*super().routes(), Route(f"/api/v2/{self.family}/{{id}}/role/", self.role, methods=["POST"])]

    # Who sees a course, and who manages it

    def may_see(self, course: Resource, user: ToyUser | None) -> bool:
        """Rule 58: a draft its creator and managers, an open or private one anyone, a secret one its
        members and the users invited to it."""
        privacy = course.fields["privacy"]
        if privacy in (OPEN, PRIVATE):
            return True
        if privacy == SECRET:
            return self.insider(course, user)
        return user is not None and self.store.is_manager(course, user)

    def insider(self, course: Resource, user: ToyUser | None) -> bool:
        """A member of the course or a user invited to it."""
        return user is not None and self.store.status_of(course, user.id) in (*MEMBERS, "invited")

    def hidden(self) -> Refusal:
        """A course the caller may not see: the toy answers as if it did not exist (reading 68: or 403)."""
        return Refusal(404, "Not found.")

    def resource_for(self, request: Request, user: ToyUser) -> Resource:
        """The course, to a caller who sees it or stands in some relation to it (an invited user accepts
        a draft's invitation); anyone else is answered as if it did not exist."""
        course = self.resource(request)
        if self.may_see(course, user) or self.store.status_of(course, user.id) is not None:
            return course
        raise self.hidden()

    def spare_creator(self, course: Resource, user_ids: list[int], action: CreatorAction) -> list[int]:
        """The users a removal or a role change may act on. The creator cannot be removed nor change role
        (rule 66): the toy refuses a request naming them (reading 69)."""
        if course.creator_id in user_ids and self.store.status_of(course, course.creator_id) == CREATOR:
            raise self.creator_refusal(action)
        return user_ids

    def creator_refusal(self, action: CreatorAction) -> Refusal:
        return Refusal(403, "The creator of the course cannot be removed nor change role.")

    # Creating and reading one

    def may_create(self, user: ToyUser) -> bool:
        """Rule 55: while ``courses_only_staff_enabled`` is true, staff members only."""
        return user.staff or not self.community.courses_only_staff_enabled

    def fields_of(self, body: ParsedBody) -> dict[str, object]:
        """The fields of a new course; the toy takes names as they come (reading 70: or unique ones)."""
        return course_fields(body)

    def render(self, resource: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """The Course schema: the answer to creating one (reading one: ``info``)."""
        return self.shapes.course(resource, viewer)

    async def create(self, request: Request) -> Response:
        if not self.may_create(self.auth.caller(request)):
            raise Refusal(403, "Only staff members create courses in this community.")
        return await super().create(request)

    async def info(self, request: Request) -> Response:
        """GET the course as the caller may see it (rule 58); ``view=edit``, ``view=dashboard`` and
        ``user`` (emulating that user) are the creator's and managers'."""
        auth = self.auth
        user = auth.optional_caller(request) if self.content_availability else auth.caller(request)
        course = self.resource(request)
        view = request.query_params.get("view", "user")
        if view not in VIEWS:
            raise Refusal(400, f"view must be one of {list(VIEWS)}.")
        managing = view != "user" or "user" in request.query_params
        if user is None:
            if managing or not self.may_see(course, None):
                raise auth.unauthorized("Authentication credentials were not provided.", 'realm="toy"')
            return JSONResponse(self.user_view(course, None))
        if not self.may_see(course, user):
            raise self.hidden()
        viewer = user
        if view != "user":
            self.require_manager(course, user, "info.view", NOT_MANAGING)
        if "user" in request.query_params:
            self.require_manager(course, user, "info.user", NOT_MANAGING)
            viewer = self.store.users[self.named_user(request)]
        if view == "edit":
            return JSONResponse(self.shapes.course_detail(course, viewer))
        if view == "dashboard":
            return JSONResponse(self.shapes.course_dashboard(course, viewer))
        return JSONResponse(self.user_view(course, viewer))

    def user_view(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """``view=user``: the whole course, or the lock screen (Course Minimal)."""
        if self.locked(course, viewer):
            return self.shapes.course_minimal(course, viewer)
        return self.shapes.course_user_detail(course, viewer)

    def locked(self, course: Resource, viewer: ToyUser | None) -> bool:
        """A private course shows its lock screen to all but its members and invited users ("only invited
        members can see the course"; reading 72: or the whole course to everyone)."""
        return course.fields["privacy"] == PRIVATE and not self.insider(course, viewer)

    async def status(self, request: Request) -> Response:
        """Rule 67: a course the caller may not see is not found, whatever the other answers say."""
        user = self.auth.caller(request)
        course = self.resource(request)
        if not self.may_see(course, user):
            raise self.unknown_resource()
        return JSONResponse({"status": self.own_status(course, user)})

    # Joining, leaving, removing

    def join_answer(self, resource: Resource, user: ToyUser) -> Response:
        """Rule 61: 200 with the course (Course User Detail), its ``join_status`` the caller's new state."""
        return JSONResponse(self.shapes.course_user_detail(resource, user))

    async def leave(self, request: Request, resource: Resource, user: ToyUser) -> None:
        self.creator_leaving(resource, user)
        await super().leave(request, resource, user)

    def creator_leaving(self, course: Resource, user: ToyUser) -> None:
        """Rule 62: the creator cannot leave (x-access: nobody may)."""
        if self.store.status_of(course, user.id) == CREATOR:
            raise Refusal(403, "The creator cannot leave the course.")

    def remove(self, request: Request, resource: Resource, user: ToyUser) -> None:
        """Rule 63: the creator or a manager ends another user's relation, the creator's excepted."""
        self.require_manager(resource, user, "leave.user", NOT_MANAGING)
        for user_id in self.spare_creator(resource, [self.named_user(request)], "leave.user"):
            self.store.remove(resource, user_id)

    # Members and roles

    def admit_to_members(self, resource: Resource, user: ToyUser | None) -> None:
        if self.may_list_members(resource, user):
            return
        if user is None:
            raise self.auth.unauthorized("Authentication credentials were not provided.", 'realm="toy"')
        if not self.may_see(resource, user):
            raise self.hidden()
        raise Refusal(403, "Only the creator and the managers may list this course's members.")

    def may_list_members(self, course: Resource, user: ToyUser | None) -> bool:
        """Rule 59: with ``hide_member_count`` the creator and managers; else a draft's managers, an open or
        private course's anyone, a secret one's members and invited users."""
        if self.member_count_hidden(course):
            return user is not None and self.store.is_manager(course, user)
        if course.fields["privacy"] == DRAFT:
            return user is not None and self.lists_draft_members(course, user)
        return self.may_see(course, user)

    def member_count_hidden(self, course: Resource) -> bool:
        """``hide_member_count``, as the course was created (false unless set)."""
        return course.fields.get("hide_member_count") is True

    def lists_draft_members(self, course: Resource, user: ToyUser) -> bool:
        """A draft's members: "only managers" see them, and the creator does what managers do (reading 71)."""
        return self.store.is_manager(course, user)

    def listed_members(self, request: Request, resource: Resource) -> list[int]:
        return self.courses.members(resource, self.member_statuses(request))

    def member_statuses(self, request: Request) -> tuple[str, ...]:
        """``statuses`` (repeated, comma-separated or a JSON list): only creator, manager and joined;
        manager and joined by default (rule 65)."""
        values = request.query_params.getlist("statuses")
        if not values:
            return LISTED_BY_DEFAULT
        names: list[object] = []
        for value in values:
            try:
                names += json.loads(value) if value.startswith("[") else value.split(",")
            except (ValueError, TypeError) as exc:
                raise Refusal(400, f"statuses cannot be read: {value!r}.") from exc
        if not names or any(name not in MEMBERS for name in names):
            raise Refusal(400, f"statuses takes only {', '.join(MEMBERS)}.")
        return tuple(str(name) for name in names)

    async def role(self, request: Request) -> Response:
        """Rule 64: POST role/ puts the users of ``managers``, ``joined`` and ``unjoined`` in that state,
        every list validated before anything changes."""
        user = self.auth.caller(request)
        course = self.resource_for(request, user)
        self.require_manager(course, user, "role", NOT_MANAGING)
        self.change_roles(course, self.role_lists(course, await self.reader.read(request)))
        return self.no_content()

    def role_lists(self, course: Resource, body: ParsedBody) -> dict[str, list[int]]:
        """Every list the body names (at least one), each validated as in rule 9 before anything changes."""
        named = [name for name in ROLE_LISTS if body.has(name)]
        if not named:
            raise Refusal(400, f"Name the users of at least one of {', '.join(ROLE_LISTS)}.")
        return {name: self.reader.users(body, name) for name in named}

    def change_roles(self, course: Resource, lists: dict[str, list[int]]) -> None:
        """Each listed user takes the list's state, the creator excepted (rule 66)."""
        every = [user_id for ids in lists.values() for user_id in ids]
        kept = set(self.spare_creator(course, every, "role"))
        for name, ids in lists.items():
            for user_id in ids:
                if user_id in kept:
                    self.courses.set_role(course, user_id, ROLE_LISTS[name])
