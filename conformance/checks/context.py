"""What a check works with: the target, its users, and short helpers for the invitation lifecycle."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi.catalog import read_for
from openapi.document import Operation, Spec
from openapi.families import ACTIONS, Family, found_families
from openapi.states import States

from ..client import Client
from ..exchange import Exchange
from ..expectations import RELATIONS, AccessOutcome, Caller, Expectation, expect_access
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
        """The first user, who creates every resource of the checks: its manager (a course's creator)."""
        return self.target.manager

    @property
    def states(self) -> States:
        """The family's states, as its status names them (``subscribed`` or ``joined`` for a member)."""
        return self.family.states

    @property
    def member_state(self) -> str:
        """What joining at once, or accepting an invitation, makes a user: ``subscribed``, ``joined``."""
        return self.states.member or "subscribed"

    @property
    def creator_state(self) -> str:
        """The state of the user who created the resource: ``subscribed``, a course's ``creator``."""
        return self.states.creator or self.member_state

    @property
    def requested_state(self) -> str:
        return self.states.requested or "requested"

    @property
    def invited_state(self) -> str:
        return self.states.invited or "invited"

    def listed_members(self, statuses: Mapping[User, str | None]) -> list[int]:
        """The ids GET members lists without a filter, users being in these states (a course's default
        list leaves its creator out)."""
        return [user.id for user, state in statuses.items() if state in self.states.listed]

    @property
    def creator(self) -> Caller:
        """The relations of the user who created the resource, for ``expect_access``: an event's manager
        and subscriber; a course's creator and member (the course pages name its managers apart)."""
        return RELATIONS["creator" if self.states.creator != self.states.member else "manager"]

    def creator_may_leave(self, privacy: str = "private") -> bool:
        """Whether the leave operation's x-access lets the creator leave their own resource."""
        leaving = expect_access(self.op("leave"), self.creator, self.attributes(privacy), (), self.options)
        return leaving.outcomes == {AccessOutcome.ALLOWED}

    def success_status(self, action: str) -> int | None:
        """The one success status the spec documents for the action's operation (204, a course's join 200);
        None when it documents several or none."""
        successes = self.op(action).success_statuses
        return int(successes[0]) if len(successes) == 1 else None

    def attributes(self, privacy: str = "private", **attributes: Any) -> dict[str, Any]:
        """The attributes of a resource made by ``fresh_resource(privacy, **attributes)`` that the access
        rules read: what ``expect_access`` decides on."""
        return self.target.attributes(self.family, privacy, attributes)

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
        """The operations the checks of this family cover: the family's own and those of no family; its
        delete last, so that a server that deletes when it should refuse spoils no other probe's resource."""
        others = [family for family in found_families(self.spec) if family.name != self.family.name]
        found = [op for op in self.spec.operations.values() if not any(f.owns(op) for f in others)]
        return sorted(found, key=lambda op: self.family.action_of(op) == "delete")

    def call(self, name: str, user: User | None = None, resource: object = None, **kwargs: Any) -> Exchange:
        operation = self.op(name)
        token = user.token if user is not None else None
        return self.client.request(operation.method, operation.url(resource), token=token, **kwargs)

    def reading(self, key: str, text: str) -> None:
        """Record what the server appears to run or which reading it took (shown by every report), in
        the family's words (`a private group`)."""
        self.readings[read_for(self.family.name, key)] = read_for(self.family.name, text)

    def fresh_resource(self, privacy: str = "private", **attributes: Any) -> int:
        """A fresh resource of the family (an event, a group, …), managed by the first user: of the
        catalog's `privacy` word (public, private) or one of the family's own values (a course's secret)."""
        return self.fresh_resource_of(self.family, privacy, **attributes)

    def fresh_resource_of(self, family: Family, privacy: str = "private", **attributes: Any) -> int:
        """A fresh resource of any family (the checked one or another), managed by the first user."""
        try:
            return self.target.create_resource(family, privacy, attributes=attributes)
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

    def remove(self, resource: int, named: object, caller: User | None = None) -> Exchange:
        """DELETE subscribe/?user=`named`, by the manager unless `caller` says otherwise."""
        operation = self.op("leave")
        token = (caller or self.manager).token
        return self.client.request(
            operation.method, operation.url(resource), token=token, params={"user": named}
        )

    def change_roles(self, resource: int, lists: Mapping[str, Any], caller: User | None = None) -> Exchange:
        """POST role (a course's) by the creator unless `caller` says otherwise: `{"managers": […]}`, …"""
        return self.call("role", caller or self.manager, resource, json_body=dict(lists))

    def given_roles(
        self, resource: int, expected: Mapping[User, str | None], lists: Mapping[str, list[int]]
    ) -> None:
        """The creator changes roles (POST role), and each user reads their `expected` state."""
        what = f"POST role {dict(lists)}"
        self.given(self.change_roles(resource, lists), what, "ROLE-LISTS")
        self.given_statuses(resource, expected, what, "ROLE-LISTS")

    def given_member(self, resource: int, user: User, privacy: str) -> None:
        """`user`, with no relation yet, becomes a member of a resource of `privacy`: joining at once where
        anyone joins so; else accepting an invitation, where an invited user sees it; else (a draft
        course) by the creator's POST role `joined`."""
        facts = self.family.privacy.get(self.family.catalog_privacy(privacy))
        if facts is not None and facts.open_join:
            self.given_joined(resource, user, self.member_state)
        elif self.sees("invited", privacy) or not self.family.has("role"):
            self.given_invited(resource, [user])
            self.given_joined(resource, user, self.member_state)
        elif self.sees("member", privacy):
            self.given_roles(resource, {user: self.member_state}, {"joined": [user.id]})
        else:  # a member of a draft course may not read it, their status included
            self.given(self.change_roles(resource, {"joined": [user.id]}), "POST role joined", "ROLE-LISTS")

    def expected(
        self,
        action: str,
        caller: Caller | str,
        privacy: str = "private",
        params: Iterable[str] | Mapping[str, Any] = (),
        **attributes: Any,
    ) -> Expectation:
        """What `caller` may expect from the action's operation (x-access, the suite's decider) on a
        resource of `privacy` with `attributes`, under the stated options."""
        where = self.attributes(privacy, **attributes)
        return expect_access(self.op(action), caller, where, params, self.options)

    def sees(self, caller: Caller | str, privacy: str = "private", **attributes: Any) -> bool:
        """`caller` may read the resource itself (its info), whatever the options nobody stated say."""
        return self.expected("info", caller, privacy, **attributes).outcomes == {AccessOutcome.ALLOWED}

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

    def given_invited(self, resource: int, users: list[User], privacy: str | None = None) -> None:
        """The manager invites `users` (none of them involved yet), and each reads `invited`; on a resource
        of a `privacy` an invited user may not see (a draft course), the invited list shows them instead."""
        what = f"POST invite of users {[user.id for user in users]}"
        self.given(self.invite(resource, [user.id for user in users]), what, "INV-204")
        judged_by = "INV-LISTED" if len(users) == 1 else "INV-ALL-IDS"
        if privacy is None or self.sees("invited", privacy):
            self.given_statuses(resource, dict.fromkeys(users, self.invited_state), what, judged_by)
            return
        listed = self.list_ids("invited", resource)
        if not {user.id for user in users} <= set(listed):
            raise CheckSkipped(
                f"prerequisite failed: after {what}, GET invite lists {listed} (that is {judged_by}'s "
                "verdict)"
            )

    def private_resource_inviting(self, *users: User) -> int:
        """A fresh private resource whose manager has invited `users`."""
        resource = self.fresh_resource("private")
        self.given_invited(resource, list(users))
        return resource

    def given_joined(self, resource: int, user: User, expected: str) -> None:
        """`user` calls POST subscribe and reads `expected` (the member state, or the requested one on a
        private resource)."""
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

    def list_ids(
        self,
        operation_id: str,
        resource: int,
        user: User | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> list[int]:
        """Every user id of a paginated list, following `next` links to the end; `query` on the first page
        (a course's `statuses`)."""
        return [int(item["id"]) for item in self.list_items(operation_id, resource, user, query)]

    def list_items(
        self,
        operation_id: str,
        resource: int,
        user: User | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        sizes: list[int] = []
        for page in self.pages(operation_id, resource, user, query=query):
            items += page["results"]
            sizes.append(len(page["results"]))
        self.notes.setdefault("pages", {}).setdefault(operation_id, []).append(sizes)
        return items

    def pages(
        self,
        operation_id: str,
        resource: int,
        user: User | None = None,
        limit: int | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Each page of a list, from the first (of `limit` items when given, with `query`) along the `next`
        links."""
        caller = user or self.manager
        operation = self.op(operation_id)
        url: str | None = operation.url(resource)
        params: dict[str, Any] | None = {**(query or {}), **({"limit": limit} if limit is not None else {})}
        params = params or None
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
