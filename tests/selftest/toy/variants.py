"""Correct servers that differ from the plain toy where the contract leaves a choice.

Each variant is a small override of one part of the correct toy, registered by ``@variant`` (see
``registry``).
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .app import ToyServer
from .authentication import Authenticator
from .bodies import URLENCODED, BodyReader, InvalidUsers, ParsedBody, as_id
from .course_endpoints import CourseEndpoints, CreatorAction
from .course_store import MANAGER
from .endpoints import FamilyEndpoints
from .errors import ErrorWriter, Refusal
from .registry import VARIANTS, Variant, variant
from .representation import Representation
from .store import Resource, Store, ToyUser

__all__ = ["VARIANTS", "Variant"]

# Error formats


@variant(
    "problem-json", "errors as application/problem+json", {"TOL-ERROR-FORMAT": "application/problem+json"}
)
class ProblemJsonErrors(ErrorWriter):
    def render(self, status: int, message: str, headers: dict[str, str]) -> Response:
        body = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": message,
        }
        return JSONResponse(body, status, headers, media_type="application/problem+json")


@variant(
    "error-key", 'errors as {"error": "..."} in application/json', {"TOL-ERROR-FORMAT": "application/json"}
)
class ErrorKeyErrors(ErrorWriter):
    def render(self, status: int, message: str, headers: dict[str, str]) -> Response:
        return JSONResponse({"error": message}, status, headers)


@variant("text-errors", "errors as text/plain", {"TOL-ERROR-FORMAT": "text/plain"})
class TextErrors(ErrorWriter):
    def render(self, status: int, message: str, headers: dict[str, str]) -> Response:
        return PlainTextResponse(message, status, headers)


@variant("empty-errors", "errors without a body", {"TOL-ERROR-FORMAT": "no body"})
class EmptyErrors(ErrorWriter):
    def render(self, status: int, message: str, headers: dict[str, str]) -> Response:
        return Response(b"", status, headers)


@variant(
    "no-allow-on-405",
    "405 answers without an Allow header (a SHOULD, so the run still passes)",
    misses={"METHOD-ALLOW"},
)
class NoAllowOn405(ErrorWriter):
    def routing_miss(self, exc: HTTPException) -> Response:
        headers = {name: value for name, value in (exc.headers or {}).items() if name != "Allow"}
        return self.render(exc.status_code, str(exc.detail), headers)


# Pages and shapes


@variant("page-size-2-newest-first", "pages of two, newest first", {"TOL-PAGINATION": "descending ids"})
class SmallPagesNewestFirst(Representation):
    PAGE_SIZE = 2

    def order(self, items: Sequence[dict[str, object]]) -> list[dict[str, object]]:
        return list(reversed(items))


@variant("extra-fields", "User objects carry undocumented fields", {"TOL-EXTRA-FIELDS": "karma"})
class ExtraUserFields(Representation):
    def user(self, user: ToyUser) -> dict[str, object]:
        return super().user(user) | {"karma": 7, "toy_flags": ["beta"]}


@variant("odd-query-400", "a limit below 1, a negative offset or a value beyond 64 bits is refused with 400")
class OddQuery400(Representation):
    """A strict server: limit and offset must be integers in range."""

    def limit(self, request: Request) -> int:
        _refuse_odd(request, "limit", lowest=1)
        return super().limit(request)

    def offset(self, request: Request) -> int:
        _refuse_odd(request, "offset", lowest=0)
        return super().offset(request)


def _refuse_odd(request: Request, name: str, lowest: int) -> None:
    raw = request.query_params.get(name)
    if raw is not None and (not (raw.isascii() and raw.isdigit()) or not lowest <= int(raw) < 2**63):
        raise Refusal(400, f"{name} must be an integer from {lowest} to 2^63-1.")


# Bodies


@variant(
    "empty-list-400",
    "an empty users list is refused with 400",
    {"TOL-EMPTY-LIST": "400: an empty list is refused"},
)
class EmptyList400(BodyReader):
    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        values = super().items(body, name)
        if not values:
            raise InvalidUsers(f"{name} must not be empty.")
        return values


@variant(
    "multipart-refused",
    "multipart bodies answer 415 (a SHOULD, so the run still passes)",
    {"TOL-MULTIPART": "refused (415)"},
    misses={"MEDIA-MULTIPART"},
)
class MultipartRefused(BodyReader):
    FORMS = frozenset({URLENCODED})


@variant("numeric-string-accepted", 'a users item "5" is read as the id 5')
class NumericStringAccepted(BodyReader):
    def user_id(self, item: object, *, from_form: bool) -> int | None:
        return as_id(item, from_form=from_form, lenient=True)


@variant(
    "lenient-create", "a create reads a number for a text field as its digits, and null as a field left out"
)
class LenientCreate(FamilyEndpoints):
    """The readings of rule 74 a strict server does not take: coercing a value, ignoring a null."""

    TEXT = frozenset({"name", "description", "color", "geolocation", "image_original"})
    REQUIRED = frozenset({"name", "privacy", "start_date", "end_date", "recurring", "location"})

    def fields(self, body: ParsedBody) -> dict[str, object]:
        if body.form is not None or not isinstance(body.json, dict):
            return super().fields(body)
        lenient: dict[str, object] = {}
        for name, value in body.json.items():
            if value is None and name not in self.REQUIRED:
                continue
            lenient[name] = str(value) if type(value) is int and name in self.TEXT else value
        return super().fields(ParsedBody(json=lenient))


# Answers


@variant(
    "content-length-on-204",
    "204 answers carry Content-Length: 0",
    {"TOL-CONTENT-LENGTH": "Content-Length: 0"},
)
class ContentLengthOn204(FamilyEndpoints):
    def no_content(self) -> Response:
        return Response(status_code=204, headers={"content-length": "0"})


@variant(
    "left-manager-reads-list",
    "a manager who left a private event still reads its member list (the lenient reading)",
    {"TOL-LEFT-MANAGER-LIST": "200: the lenient reading"},
)
class LeftManagerReadsList(FamilyEndpoints):
    def may_read_members(self, resource: Resource, user: ToyUser) -> bool:
        return super().may_read_members(resource, user) or self.store.is_manager(resource, user)


@variant(
    "remove-unknown-404",
    "the manager's removal of a user who does not exist answers 404",
    {"TOL-REMOVE-UNKNOWN-USER": "404: the user is not found"},
    families=("event", "course"),
)
class RemoveUnknown404(FamilyEndpoints):
    def unknown_named_user(self, raw: str) -> Refusal:
        return Refusal(404, f"There is no user {raw}.")


# Courses: the readings of the course pages (docs/contract.md, 68-73) the correct toy does not take

COURSE = ("course",)


@variant(
    "hidden-course-403",
    "a draft or secret course answers 403 to an outsider's info, join and lists (GET status: still 404)",
    {"TOL-HIDDEN-ANSWER": "403"},
    families=COURSE,
)
class HiddenCourse403(CourseEndpoints):
    def hidden(self) -> Refusal:
        return Refusal(403, "You may not see this course.")


@variant(
    "creator-removal-400",
    "removing or demoting the creator is refused with 400",
    {"TOL-CREATOR-REMOVAL": "400"},
    families=COURSE,
)
class CreatorRemoval400(CourseEndpoints):
    def creator_refusal(self, action: CreatorAction) -> Refusal:
        return Refusal(400, "The creator of the course cannot be removed nor change role.")


@variant(
    "creator-spared-204",
    "removing or demoting the creator answers 204 and leaves the creator as they were",
    {"TOL-CREATOR-REMOVAL": "204"},
    families=COURSE,
)
class CreatorSpared204(CourseEndpoints):
    def spare_creator(self, course: Resource, user_ids: list[int], action: CreatorAction) -> list[int]:
        return [user_id for user_id in user_ids if user_id != course.creator_id]


@variant(
    "unique-course-names",
    "a course named as an existing one is refused with 400",
    {"TOL-UNIQUE-NAME": "400"},
    families=COURSE,
)
class UniqueCourseNames(CourseEndpoints):
    def fields_of(self, body: ParsedBody) -> dict[str, object]:
        fields = super().fields_of(body)
        if any(course.fields["name"] == fields["name"] for course in self.store.resources.values()):
            raise Refusal(400, "A course with this name exists.")
        return fields


@variant(
    "draft-members-managers-only",
    "a draft course's member list answers 403 to its creator: only managers read it",
    {"TOL-DRAFT-CREATOR-LIST": "403"},
    families=COURSE,
)
class DraftMembersManagersOnly(CourseEndpoints):
    def lists_draft_members(self, course: Resource, user: ToyUser) -> bool:
        return self.store.status_of(course, user.id) == MANAGER


# Authorization headers


@variant("repeated-auth-400", "two Authorization headers are refused with 400")
class RepeatedAuth400(Authenticator):
    def screen(self, values: list[str]) -> None:
        if len(values) > 1:
            raise Refusal(400, "Send one Authorization header.")


@variant("extra-spaces-401", "two spaces between Bearer and the token are refused with 401")
class ExtraSpaces401(Authenticator):
    def screen(self, values: list[str]) -> None:
        if any("  " in value for value in values):
            challenge = 'realm="toy", error="invalid_request"'
            raise self.unauthorized("Separate scheme and token by one space.", challenge)


# State and traffic


@variant(
    "decline-keeps-invitation", "an invited user who leaves stays invited", {"TOL-DECLINE": "still invited"}
)
class DeclineKeepsInvitation(Store):
    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        if self.status_of(resource, user.id) != "invited":
            super().unsubscribe(resource, user)


@variant("big-ids", "event and user ids far beyond 32 bits")
class BigIds(Store):
    FIRST_USER_ID = 2**33 + 3
    FIRST_RESOURCE_ID = 2**40 + 7


@variant("sparse-ids", "each new event's id is 1,000 past the last one's")
class SparseIds(Store):
    """The suite cannot read back what a refused create left between two ids this far apart: it says so."""

    RESOURCE_ID_STEP = 1_000


@variant(
    "throttled", "every 7th request answers 429 Too Many Requests (Retry-After: 0), as a rate limiter might"
)
class Throttled(ToyServer):
    def middleware(self) -> list[Middleware]:
        return [Middleware(Throttle, every=7)]


class Throttle:
    """Answers every `every`-th request with 429 and ``Retry-After: 0``, as a rate limiter might."""

    def __init__(self, app: ASGIApp, every: int) -> None:
        self.app = app
        self.every = every
        self.seen = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen += 1
            if self.seen % self.every == 0:
                refusal = JSONResponse({"detail": "Too many requests"}, 429, headers={"Retry-After": "0"})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
