"""What a check works with: the target, its users, and short helpers for the invitation lifecycle."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi.catalog import read_for
from openapi.document import Operation, Spec
from openapi.families import ACTIONS, Family, found_families

from ..client import Client
from ..exchange import Exchange
from ..profiles import Profile
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
        operation = self.family.translate(self.spec[name])
        if operation is None:
            raise KeyError(f"the {self.family} family has no operation like {name}")
        return operation

    def operations(self) -> list[Operation]:
        """The operations the checks of this family cover: the family's own and those of no family."""
        others = [family for family in found_families(self.spec) if family.name != self.family.name]
        return [op for op in self.spec.operations.values() if not any(f.owns(op) for f in others)]

    def call(self, name: str, user: User | None = None, resource: object = None, **kwargs: Any) -> Exchange:
        operation = self.op(name)
        token = user.token if user is not None else None
        return self.client.request(operation.method, operation.url(resource), token=token, **kwargs)

    def reading(self, key: str, text: str) -> None:
        """Record what the server appears to run or which reading it took (shown by every report), in
        the family's words (`a private group`)."""
        self.readings[read_for(self.family.name, key)] = read_for(self.family.name, text)

    def fresh_resource(self, privacy: str = "private") -> int:
        """A fresh resource of the family (an event, a group, …), managed by the first user."""
        return self.fresh_resource_of(self.family, privacy)

    def fresh_resource_of(self, family: Family, privacy: str = "private") -> int:
        """A fresh resource of any family (the checked one or another), managed by the first user."""
        try:
            return self.target.create_resource(family, privacy)
        except PrerequisiteFailed as exc:
            raise CheckSkipped(f"prerequisite failed: {exc}", exc.exchanges) from exc

    # -- the lifecycle ---------------------------------------------------------------------
    def invite(self, resource: int, ids: list[Any], user: User | None = None, **kwargs: Any) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("invite", user or self.manager, resource, **kwargs)

    def remove_invitation(
        self, resource: int, ids: list[Any], user: User | None = None, **kwargs: Any
    ) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("remove_invitation", user or self.manager, resource, **kwargs)

    def join(self, resource: int, user: User) -> Exchange:
        return self.call("join", user, resource)

    def leave(self, resource: int, user: User) -> Exchange:
        return self.call("leave", user, resource)

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
        self, resource: int, expected: Mapping[User, str | None], after: str, judged_by: str
    ) -> None:
        """Read back what a setup step should have done; skip the requirement when it did not."""
        wrong = [
            f"{user} reads {status!r}, not {wanted!r}"
            for user, wanted in expected.items()
            if (status := self.status(resource, user)) != wanted
        ]
        if wrong:
            raise CheckSkipped(
                f"prerequisite failed: after {after}, {'; '.join(wrong)} (that is {judged_by}'s verdict)"
            )

    def given_invited(self, resource: int, users: list[User]) -> None:
        """The manager invites `users` (none of them involved yet), and each reads `invited`."""
        what = f"POST invite of users {[user.id for user in users]}"
        self.given(self.invite(resource, [user.id for user in users]), what, "INV-204")
        judged_by = "INV-LISTED" if len(users) == 1 else "INV-ALL-IDS"
        self.given_statuses(resource, dict.fromkeys(users, "invited"), what, judged_by)

    def private_resource_inviting(self, *users: User) -> int:
        """A fresh private resource whose manager has invited `users`."""
        resource = self.fresh_resource("private")
        self.given_invited(resource, list(users))
        return resource

    def given_joined(self, resource: int, user: User, expected: str) -> None:
        """`user` calls POST subscribe and reads `expected` (subscribed, or requested on a private one)."""
        what = f"POST subscribe by {user}"
        self.given(self.join(resource, user), what, "SPEC-STATUS")
        self.given_statuses(resource, {user: expected}, what, "MODEL-STATEFUL")

    def unknown_id(self) -> int:
        """An id no user or resource has; within 32 bits, so small id columns can only answer "not found"."""
        return 2_147_000_000 + self.random.randrange(400_000)

    # -- reads -----------------------------------------------------------------------------
    def status(self, resource: int, user: User) -> str | None:
        """The caller's status on the resource, from GET status."""
        exchange = self.call("status", user, resource)
        body = exchange.json_or_none()
        if exchange.status != 200 or not isinstance(body, dict) or "status" not in body:
            raise CheckFailed(
                f"GET status for {user} answered {exchange.status} without a `status` field", [exchange]
            )
        status: str | None = body["status"]
        return status

    def snapshot(self, resource: int, users: list[User]) -> dict[str, Any]:
        """What a refused request must leave as it was: the invited list and each user's status."""
        return {
            "invited": sorted(self.list_ids("invited", resource)),
            "statuses": {str(user): self.status(resource, user) for user in users},
        }

    def list_ids(self, operation_id: str, resource: int, user: User | None = None) -> list[int]:
        """Every user id of a paginated list, following `next` links to the end."""
        return [int(item["id"]) for item in self.list_items(operation_id, resource, user)]

    def list_items(self, operation_id: str, resource: int, user: User | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        sizes: list[int] = []
        for page in self.pages(operation_id, resource, user):
            items += page["results"]
            sizes.append(len(page["results"]))
        self.notes.setdefault("pages", {}).setdefault(operation_id, []).append(sizes)
        return items

    def pages(
        self, operation_id: str, resource: int, user: User | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Each page of a list, from the first (of `limit` items when given) along the `next` links."""
        caller = user or self.manager
        operation = self.op(operation_id)
        url: str | None = operation.url(resource)
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
