"""The server under test: its users (from the tokens) and the fresh resources the scenarios need."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from openapi.document import Operation, Spec
from openapi.families import Family, families, family_of

from .client import Client, TransportFailure
from .credentials import Credentials, TokenError
from .exchange import Exchange

MIN_USERS = 3


class TargetError(Exception):
    """The target cannot be tested; the message says what to fix (exit code 2)."""


class PrerequisiteFailed(Exception):
    """Something a scenario needs (e.g. a fresh resource) could not be set up."""

    def __init__(self, message: str, exchanges: list[Exchange] | None = None) -> None:
        super().__init__(message)
        self.exchanges = exchanges or []


@dataclass(frozen=True)
class User:
    token: str = field(repr=False)
    id: int
    name: str
    role: str

    def __str__(self) -> str:
        return f"{self.role} (user {self.id}{', ' + self.name if self.name else ''})"

    def __repr__(self) -> str:
        return f"User(id={self.id}, role={self.role!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis prints a user in a failing sequence: no token."""
        printer.text(repr(self))


@dataclass
class Target:
    client: Client
    spec: Spec
    users: list[User]
    run_tag: str = field(default_factory=lambda: secrets.token_hex(3))
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def manager(self) -> User:
        return self.users[0]

    @property
    def member(self) -> User:
        return self.users[1]

    @property
    def requester(self) -> User:
        return self.users[2]

    @property
    def outsider(self) -> User:
        """A fourth user when given; otherwise the member, who is an outsider to any fresh event."""
        return self.users[3] if len(self.users) > 3 else self.users[1]

    @property
    def others(self) -> list[User]:
        return self.users[1:]

    def create_resource(
        self,
        family: Family,
        privacy: str = "private",
        user: User | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> int:
        """A fresh resource of `family` (an event, a group, …) managed by `user`, made by the family's
        create operation in the spec (POST /api/v2/<family>/), with `attributes` (``hide_member_count``)."""
        creator = user or self.manager
        operation = family.op("create")
        exchange = self.client.request(
            operation.method,
            operation.url(),
            token=creator.token,
            json_body=self.resource_body(operation, privacy, attributes),
        )
        body = exchange.json_or_none()
        if (
            exchange.status not in (200, 201)
            or not isinstance(body, dict)
            or not isinstance(body.get("id"), int)
        ):
            raise PrerequisiteFailed(
                f"could not create a {privacy} {family}: {operation.label} answered {exchange.status}",
                [exchange],
            )
        return int(body["id"])

    def resource_body(
        self, operation: Operation, privacy: str, attributes: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A valid body of a create operation: the schema's required fields, filled with plausible values;
        ``privacy`` is the catalog's word (``public``, ``private``), sent as the family's value for it, or
        one of the family's own values (a course's ``""``, ``secret``). Every other attribute the family's
        access rules read is stated too (``attributes``, else false): an expectation never rests on a
        default the server keeps unsaid."""
        family = family_of(operation)
        schema = operation.request_schema()
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
        known: dict[str, Any] = {
            "name": f"conformance {self.run_tag}-{next(self._counter)}",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(hours=2)).isoformat(),
            "recurring": "never",
            "location": "virtual",
            "link": "https://example.org/conformance",
            "description": "created by the conformance suite",
        }
        body: dict[str, Any] = {}
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name in known:
                body[name] = known[name]
            else:
                body[name] = _placeholder(self.spec.resolve(properties.get(name, {})))
        body.setdefault("name", known["name"])
        if family is None:
            body["privacy"] = privacy
            return body
        return {**body, **self.attributes(family, privacy, attributes)}

    def attributes(
        self, family: Family, privacy: str, attributes: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """What ``create_resource(family, privacy, attributes=…)`` states of the attributes the family's
        access rules read: ``privacy`` (the family's value), each of ``attributes``, and false for every
        other boolean one (``hide_member_count``). An expectation is decided on these."""
        given = dict(attributes or {})
        create = family.op("create")
        schema = create.request_schema()
        properties = schema.get("properties", {})
        stated: dict[str, Any] = {"privacy": family.catalog_privacy(privacy)}
        for name in read_attributes(family):
            prop = self.spec.resolve(properties.get(name, {}))
            if name in given:
                stated[name] = given[name]
            elif name != "privacy" and prop.get("type") == "boolean":
                stated[name] = False
            elif name != "privacy" and name in schema.get("required", ()):
                stated[name] = _placeholder(prop)
        return stated


def read_attributes(family: Family) -> tuple[str, ...]:
    """The attributes of the family's own resource that its operations' access rules read (``privacy``,
    ``hide_member_count``) and its create body documents, in the order the rules name them."""
    create = family.op("create")
    named: dict[str, None] = {"privacy": None}
    for operation in family.operations.values():
        for rule in operation.access.rules:
            for part in rule.when.parts:
                named.update((name, None) for name, _ in part.resource if "." not in name)
    return tuple(name for name in named if name in create.body_fields)


def _placeholder(schema: Mapping[str, Any]) -> Any:
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    kind = schema.get("type")
    return {"integer": 1, "number": 1.0, "boolean": False, "array": [], "object": {}}.get(str(kind), "x")


def connect(client: Client, spec: Spec, tokens: list[str], checked: Sequence[Family] | None = None) -> Target:
    """Resolve each token to its user and make sure the first can create a resource of the first family
    checked (`checked`, else the spec's: an event); else TargetError. The client masks these tokens in all
    it keeps from here on (it is given them if it does not hold them yet)."""
    if len(tokens) < MIN_USERS:
        raise TargetError(
            f"{len(tokens)} token(s) given; the suite needs at least {MIN_USERS} tokens of distinct users "
            "(manager, member, requester; a fourth acts as outsider). Give one per user: --token, "
            "--token-file (one per line) or the environment variable CONFORMANCE_TOKENS (whitespace "
            "separated)."
        )
    if client.credentials.tokens != tokens:
        try:
            client.credentials = Credentials(tokens, shown=client.credentials.shown)
        except TokenError as exc:
            raise TargetError(str(exc)) from None
    me = spec["me"]
    roles = ["manager", "member", "requester", "outsider"]
    users: list[User] = []
    for position, token in enumerate(tokens, start=1):
        try:
            exchange = client.request(me.method, me.url(), token=token)
        except TransportFailure as exc:
            raise TargetError(
                f"cannot reach {client.base_url}: {exc.exchange.error}. "
                "Check --base-url and that the server runs."
            ) from exc
        body = exchange.json_or_none()
        if exchange.status != 200 or not isinstance(body, dict) or not isinstance(body.get("id"), int):
            raise TargetError(
                f"token #{position} was refused: {me.label} answered {exchange.status}"
                f"{'' if exchange.status in (401, 403) else ' without a user id'}. "
                "Pass a valid bearer token of an ordinary user for each user."
            )
        role = roles[position - 1] if position <= len(roles) else f"user{position}"
        users.append(User(token=token, id=int(body["id"]), name=str(body.get("username") or ""), role=role))
    ids = [user.id for user in users]
    duplicates = sorted({user_id for user_id in ids if ids.count(user_id) > 1})
    if duplicates:
        raise TargetError(
            f"several tokens belong to the same user (id {', '.join(map(str, duplicates))}); "
            "each token must be of a distinct user."
        )
    target = Target(client=client, spec=spec, users=users)
    first = next(iter(families(spec) if checked is None else checked), None)
    try:
        if first is None:
            raise PrerequisiteFailed("the spec documents no membership family whose resources it can create")
        target.create_resource(first, "private")
    except PrerequisiteFailed as exc:
        answer = exc.exchanges[0].response_summary() if exc.exchanges else ""
        raise TargetError(
            f"the first user cannot create {first or 'resource'}s, which every scenario needs "
            f"({exc}).\n{answer}"
        ) from exc
    return target
