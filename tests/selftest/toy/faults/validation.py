"""Faults of validation: a wrong ``users`` list accepted, crashes on odd ids, a refusal that still writes."""

from __future__ import annotations

from starlette.requests import Request

from ..bodies import DIGITS, BodyReader, InvalidUsers, ParsedBody, as_id
from ..endpoints import FamilyEndpoints, Write
from ..errors import ServerFault
from ..registry import fault
from ..store import Resource


@fault("missing-users-ok", "a body without users answers 204", breaks={"VAL-MISSING"})
class MissingUsersOk(BodyReader):
    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        return super().items(body, name) if body.has(name) else []


@fault("scalar-users-ok", "users given as a single id is taken as a list", breaks={"VAL-NOT-LIST"})
class ScalarUsersOk(BodyReader):
    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        if body.has(name) and body.form is None and not isinstance(body.values(name), list):
            return [body.values(name)]
        return super().items(body, name)


@fault(
    "bad-items-dropped",
    "items of users that are not ids are coerced or skipped",
    breaks={"VAL-ITEM-TYPE"},
    also={"VAL-ATOMIC", "VAL-FIELDS"},
)
class BadItemsDropped(BodyReader):
    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        from_form = body.form is not None
        return [
            item
            for item in super().items(body, name)
            if as_id(item, from_form=from_form, lenient=True) is not None
        ]

    def user_id(self, item: object, *, from_form: bool) -> int | None:
        return as_id(item, from_form=from_form, lenient=True)


@fault(
    "unknown-user-ok",
    "unknown user ids are skipped with 204",
    breaks={"VAL-UNKNOWN-USER"},
    also={"VAL-ATOMIC", "VAL-ID-FORMS", "VAL-LONG-LISTS"},
)
class UnknownUserOk(BodyReader):
    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        from_form = body.form is not None
        return [
            item
            for item in super().items(body, name)
            if (user_id := self.user_id(item, from_form=from_form)) is None or user_id in self.known
        ]


@fault("malformed-json-500", "a malformed JSON body answers 500", breaks={"VAL-MALFORMED-JSON"})
class MalformedJsonCrash(BodyReader):
    def malformed(self, exc: ValueError) -> Exception:
        return ServerFault()


@fault(
    "non-atomic",
    "the ids before an invalid one are invited although the answer is 400",
    breaks={"VAL-ATOMIC"},
    also={"VAL-FIELDS", "VAL-LONG-LISTS"},
)
@fault(
    "direct-subscribe-partial",
    "ids before a bad one are subscribed although the answer is 400",
    breaks={"SUB-DIRECT-ATOMIC"},
    also={"VAL-ATOMIC", "MODEL-STATEFUL", "VAL-FIELDS", "VAL-LONG-LISTS"},
    families=("group",),
)
class NotAtomic(FamilyEndpoints):
    """Writes the valid ids ahead of an invalid one, then refuses the request."""

    async def write_users(self, request: Request, resource: Resource, write: Write) -> None:
        try:
            await super().write_users(request, resource, write)
        except InvalidUsers as refusal:
            if refusal.valid_before:
                write(resource, refusal.valid_before)
            raise


class CrashesOnJsonItem(BodyReader):
    """Fails with 500 on an item of a JSON ``users`` list that ``crashes_on``."""

    def crashes_on(self, item: object) -> bool:
        raise NotImplementedError

    def user_id(self, item: object, *, from_form: bool) -> int | None:
        if not from_form and self.crashes_on(item):
            raise ServerFault
        return super().user_id(item, from_form=from_form)


@fault("numeric-string-500", 'a users item "5" answers 500', breaks={"VAL-ID-FORMS"}, also={"SPEC-NO-5XX"})
class NumericStringCrash(CrashesOnJsonItem):
    def crashes_on(self, item: object) -> bool:
        return isinstance(item, str) and DIGITS.fullmatch(item) is not None


@fault(
    "huge-id-500",
    "a users item beyond 64 bits answers 500",
    breaks={"VAL-ID-FORMS"},
    also={"VAL-UNKNOWN-USER", "SPEC-NO-5XX"},
)
class HugeIdCrash(CrashesOnJsonItem):
    def crashes_on(self, item: object) -> bool:
        return type(item) is int and abs(item) >= 2**63


@fault(
    "link-not-uri-accepted",
    'an event link that is no URI ("") is accepted and answered back',
    breaks={"VAL-FIELDS"},
    also={"SPEC-SCHEMA"},
)
class LinkNotUriAccepted(FamilyEndpoints):
    """Stores an empty ``link`` as sent, past the check the other fields still get."""

    def fields(self, body: ParsedBody) -> dict[str, object]:
        if body.form is None and isinstance(body.json, dict) and body.json.get("link") == "":
            others = ParsedBody(json={name: value for name, value in body.json.items() if name != "link"})
            return {**super().fields(others), "link": ""}
        return super().fields(body)


@fault(
    "long-list-500",
    "a users list longer than 1,000 ids answers 500",
    breaks={"VAL-LONG-LISTS"},
)
class LongList500(BodyReader):
    LIMIT = 1_000

    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        values = super().items(body, name)
        if len(values) > self.LIMIT:
            raise ServerFault
        return values
