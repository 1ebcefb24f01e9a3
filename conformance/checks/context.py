"""What a check works with: the target, its users, and short helpers for the invitation lifecycle."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalog import read_for
from ..client import Client, Exchange
from ..families import ACTIONS, Family, family_names
from ..profiles import Profile
from ..spec import Operation, Spec
from ..target import PrerequisiteFailed, Target, User
from .outcomes import CheckFailed, CheckSkipped

MAX_PAGES = 200


def succeeded(exchange: Exchange) -> bool:
    """A 2xx answer; which 2xx is the verdict of the requirements about that operation's status."""
    return exchange.status is not None and 200 <= exchange.status < 300


@dataclass
class Context:
    target: Target
    profile: Profile
    seed: int
    family: Family
    """The membership family the checks run for: its operations stand for the lifecycle's actions."""
    notes: dict[str, Any] = field(default_factory=dict)
    """What checks observed on the way (page sizes, error media types) for the TOL reports."""
    options: dict[str, Any] = field(default_factory=dict)
    """Community options the user stated (`--community-option`); the others are unknown and observed."""
    readings: dict[str, str] = field(default_factory=dict)
    """Which setting the server appears to run, or which reading of the pages it took, for the reports."""

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    @property
    def client(self) -> Client:
        return self.target.client

    @property
    def spec(self) -> Spec:
        return self.target.spec

    @property
    def manager(self) -> User:
        return self.target.manager

    def op(self, name: str) -> Operation:
        """The family's operation for an action (`invite`, `join`, …), or an operation of no family
        (`me`) by its operationId."""
        if name in ACTIONS:
            return self.family.op(name)
        operation = self.family.translate(self.spec[name], self.spec)
        if operation is None:
            raise KeyError(f"the {self.family} family has no operation like {name}")
        return operation

    def operations(self) -> list[Operation]:
        """The operations the checks of this family cover: the family's own and those of no family."""
        others = set(family_names(self.spec)) - {self.family.name}
        return [op for op in self.spec.operations.values() if op.family not in others]

    def call(self, name: str, user: User | None = None, event: object = None, **kwargs: Any) -> Exchange:
        operation = self.op(name)
        token = user.token if user is not None else None
        return self.client.request(operation.method, operation.url(event), token=token, **kwargs)

    def reading(self, key: str, text: str) -> None:
        """Record what the server appears to run or which reading it took (shown by every report), in
        the family's words (`a private group`)."""
        self.readings[read_for(self.family.name, key)] = read_for(self.family.name, text)

    def fresh_event(self, privacy: str = "private") -> int:
        """A fresh resource of the family (an event, a group, …), managed by the first user."""
        return self.fresh_resource(self.family.name, privacy)

    def fresh_resource(self, family: str, privacy: str = "private") -> int:
        """A new event, group, … (the family of an operation's path), managed by the first user."""
        try:
            return self.target.create_resource(family, privacy)
        except PrerequisiteFailed as exc:
            raise CheckSkipped(f"prerequisite failed: {exc}", exc.exchanges) from exc

    # -- the lifecycle ---------------------------------------------------------------------
    def invite(self, event: int, ids: list[Any], user: User | None = None, **kwargs: Any) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("invite", user or self.manager, event, **kwargs)

    def withdraw(self, event: int, ids: list[Any], user: User | None = None, **kwargs: Any) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("withdraw", user or self.manager, event, **kwargs)

    def subscribe(self, event: int, user: User) -> Exchange:
        return self.call("join", user, event)

    def unsubscribe(self, event: int, user: User) -> Exchange:
        return self.call("leave", user, event)

    def given(self, exchange: Exchange, what: str, judged_by: str) -> Exchange:
        """A setup step: any 2xx will do, as the exact status is `judged_by`'s verdict.

        Otherwise the requirement is skipped, not judged: its scenario never began.
        """
        if not succeeded(exchange):
            raise CheckSkipped(
                f"prerequisite failed: {what} answered {exchange.status}, not a success "
                f"(that answer is {judged_by}'s verdict)",
                [exchange],
            )
        return exchange

    def given_statuses(
        self, event: int, expected: Mapping[User, str | None], after: str, judged_by: str
    ) -> None:
        """Read back what a setup step should have done; skip the requirement when it did not."""
        wrong = [
            f"{user} reads {status!r}, not {wanted!r}"
            for user, wanted in expected.items()
            if (status := self.status(event, user)) != wanted
        ]
        if wrong:
            raise CheckSkipped(
                f"prerequisite failed: after {after}, {'; '.join(wrong)} (that is {judged_by}'s verdict)"
            )

    def given_invited(self, event: int, users: list[User]) -> None:
        """The manager invites `users` (none of them involved yet), and each reads `invited`."""
        what = f"POST invite of users {[user.id for user in users]}"
        self.given(self.invite(event, [user.id for user in users]), what, "INV-204")
        judged_by = "INV-LISTED" if len(users) == 1 else "INV-ALL-IDS"
        self.given_statuses(event, dict.fromkeys(users, "invited"), what, judged_by)

    def private_event_inviting(self, *users: User) -> int:
        """A fresh private event whose manager has invited `users`."""
        event = self.fresh_event("private")
        self.given_invited(event, list(users))
        return event

    def given_joined(self, event: int, user: User, expected: str) -> None:
        """`user` calls POST subscribe and reads `expected` (subscribed, or requested on a private event)."""
        what = f"POST subscribe by {user}"
        self.given(self.subscribe(event, user), what, "SPEC-STATUS")
        self.given_statuses(event, {user: expected}, what, "MODEL-STATEFUL")

    def unknown_id(self) -> int:
        """An id no user or event has; within 32 bits, so small id columns can only answer "not found"."""
        return 2_147_000_000 + self.random.randrange(400_000)

    # -- reads -----------------------------------------------------------------------------
    def status(self, event: int, user: User) -> str | None:
        """The caller's status on the event, from GET status."""
        exchange = self.call("status", user, event)
        body = exchange.json_or_none()
        if exchange.status != 200 or not isinstance(body, dict) or "status" not in body:
            raise CheckFailed(
                f"GET status for {user} answered {exchange.status} without a `status` field", [exchange]
            )
        status: str | None = body["status"]
        return status

    def snapshot(self, event: int, users: list[User]) -> dict[str, Any]:
        """What a refused request must leave as it was: the invited list and each user's status."""
        return {
            "invited": sorted(self.list_ids("invited", event)),
            "statuses": {str(user): self.status(event, user) for user in users},
        }

    def list_ids(self, operation_id: str, event: int, user: User | None = None) -> list[int]:
        """Every user id of a paginated list, following `next` links to the end."""
        return [int(item["id"]) for item in self.list_items(operation_id, event, user)]

    def list_items(self, operation_id: str, event: int, user: User | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        sizes: list[int] = []
        for page in self.pages(operation_id, event, user):
            items += page["results"]
            sizes.append(len(page["results"]))
        self.notes.setdefault("pages", {}).setdefault(operation_id, []).append(sizes)
        return items

    def pages(
        self, operation_id: str, event: int, user: User | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Each page of a list, from the first (of `limit` items when given) along the `next` links."""
        caller = user or self.manager
        operation = self.op(operation_id)
        url: str | None = operation.url(event)
        params = {"limit": limit} if limit is not None else None
        seen_urls: set[str] = set()
        while url is not None:
            if len(seen_urls) >= MAX_PAGES:
                raise CheckFailed(f"{operation.label}: more than {MAX_PAGES} pages; `next` never ends")
            exchange = self.client.request("GET", url, token=caller.token, params=params)
            if exchange.url in seen_urls:
                raise CheckFailed(
                    f"{operation.label}: `next` links loop (back to {exchange.url})", [exchange]
                )
            seen_urls.add(exchange.url)
            body = exchange.json_or_none()
            if (
                exchange.status != 200
                or not isinstance(body, dict)
                or not isinstance(body.get("results"), list)
            ):
                raise CheckFailed(
                    f"{operation.label} by {caller} answered {exchange.status} without a `results` list",
                    [exchange],
                )
            if not all(isinstance(item, dict) and "id" in item for item in body["results"]):
                raise CheckFailed(f"{operation.label}: a result is not a user object with an id", [exchange])
            yield body
            url, params = body.get("next") or None, None
