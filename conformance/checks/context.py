"""What a check works with: the target, its users, and short helpers for the invitation lifecycle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from ..client import Client, Exchange
from ..profiles import Profile
from ..spec import Operation, Spec
from ..target import PrerequisiteFailed, Target, User
from .outcomes import CheckFailed, CheckSkipped

MAX_PAGES = 200


@dataclass
class Context:
    target: Target
    profile: Profile
    seed: int
    notes: dict[str, Any] = field(default_factory=dict)
    """What checks observed on the way (page sizes, error media types) for the TOL reports."""

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

    def op(self, operation_id: str) -> Operation:
        return self.spec[operation_id]

    def call(
        self, operation_id: str, user: User | None = None, event: object = None, **kwargs: Any
    ) -> Exchange:
        operation = self.op(operation_id)
        token = user.token if user is not None else None
        return self.client.request(operation.method, operation.url(event), token=token, **kwargs)

    def success_statuses(self, operation_id: str) -> tuple[int, ...]:
        """The 2xx statuses the spec documents for the operation."""
        statuses = self.op(operation_id).documented_statuses
        return tuple(int(s) for s in statuses if s.isdigit() and s.startswith("2"))

    def fresh_event(self, privacy: str = "private") -> int:
        try:
            return self.target.create_event(privacy)
        except PrerequisiteFailed as exc:
            raise CheckSkipped(f"prerequisite failed: {exc}", exc.exchanges) from exc

    # -- the lifecycle ---------------------------------------------------------------------
    def invite(self, event: int, ids: list[Any], user: User | None = None, **kwargs: Any) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("inviteUsersToEvent", user or self.manager, event, **kwargs)

    def withdraw(self, event: int, ids: list[Any], user: User | None = None, **kwargs: Any) -> Exchange:
        if not kwargs:
            kwargs = {"json_body": {"users": ids}}
        return self.call("removeInvitationToEvent", user or self.manager, event, **kwargs)

    def subscribe(self, event: int, user: User) -> Exchange:
        return self.call("subscribeOrAcceptInviteToEvent", user, event)

    def unsubscribe(self, event: int, user: User) -> Exchange:
        return self.call("unsubscribeFromEvent", user, event)

    def prerequisite(self, exchange: Exchange, *statuses: int, what: str) -> Exchange:
        """A step the scenario relies on; when it fails the requirement is skipped, not judged."""
        if exchange.status not in statuses:
            raise CheckSkipped(
                f"prerequisite failed: {what} answered {exchange.status}, expected "
                f"{' or '.join(map(str, statuses))}",
                [exchange],
            )
        return exchange

    # -- reads -----------------------------------------------------------------------------
    def status(self, event: int, user: User) -> str | None:
        """The caller's status on the event, from GET status."""
        exchange = self.call("getSubscriptionStatus", user, event)
        body = exchange.json_or_none()
        if exchange.status != 200 or not isinstance(body, dict) or "status" not in body:
            raise CheckFailed(
                f"GET status for {user} answered {exchange.status} without a `status` field", [exchange]
            )
        return body["status"]

    def snapshot(self, event: int, users: list[User]) -> dict[str, Any]:
        """What a refused request must leave as it was: the invited list and each user's status."""
        return {
            "invited": sorted(self.list_ids("getEventInvitedUsers", event)),
            "statuses": {str(user): self.status(event, user) for user in users},
        }

    def list_ids(self, operation_id: str, event: int, user: User | None = None) -> list[int]:
        """Every user id of a paginated list, following `next` links to the end."""
        return [int(item["id"]) for item in self.list_items(operation_id, event, user)]

    def list_items(self, operation_id: str, event: int, user: User | None = None) -> list[dict[str, Any]]:
        caller = user or self.manager
        operation = self.op(operation_id)
        url: str | None = operation.url(event)
        items: list[dict[str, Any]] = []
        seen_urls: set[str] = set()
        pages: list[int] = []
        while url is not None:
            if url in seen_urls or len(pages) >= MAX_PAGES:
                raise CheckFailed(f"{operation.label}: `next` links loop (back to {url})")
            seen_urls.add(url)
            exchange = self.client.request("GET", url, token=caller.token)
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
            results = [item for item in body["results"] if isinstance(item, dict) and "id" in item]
            if len(results) != len(body["results"]):
                raise CheckFailed(f"{operation.label}: a result is not a user object with an id", [exchange])
            items += results
            pages.append(len(results))
            url = body.get("next") or None
        self.notes.setdefault("pages", {}).setdefault(operation_id, []).append(pages)
        return items
