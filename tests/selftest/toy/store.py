"""The in-memory state of the toy server: users, events and who stands where in each event."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from .quirks import Quirks

Status = Literal["invited", "requested", "subscribed"]
# A membership hidden from every answer; kept only by the ``stale_membership_after_leave`` fault.
FORMER = "former"


@dataclass
class User:
    id: int
    username: str
    token: str | None


@dataclass
class Membership:
    user_id: int
    status: str


@dataclass
class Event:
    id: int
    fields: dict[str, object]
    creator_id: int
    manager_id: int | None
    created_at: datetime
    members: list[Membership] = field(default_factory=list)
    successful_invites: int = 0
    left: set[int] = field(default_factory=set)
    """Users who left since their last write (only the stale-read faults show them)."""
    cached_counter: int = 1
    """subscribers_counter as last computed on a join or an acceptance (the counter-stale fault)."""

    @property
    def private(self) -> bool:
        return self.fields["privacy"] == "private"

    def member(self, user_id: int) -> Membership | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def status_of(self, user_id: int) -> str | None:
        membership = self.member(user_id)
        return None if membership is None or membership.status == FORMER else membership.status

    def with_status(self, status: str) -> list[int]:
        return [m.user_id for m in self.members if m.status == status]

    def listed_as_subscribed(self, stale: bool) -> list[int]:
        """GET subscribe's users; with ``stale``, those who just left too."""
        listed = self.with_status("subscribed")
        return listed + sorted(self.left - set(listed)) if stale else listed


class Store:
    """Users with static tokens, and the events created through the API."""

    def __init__(self, quirks: Quirks, token_users: int, total_users: int = 20) -> None:
        self.quirks = quirks
        first = quirks.first_user_id
        self.users = {
            first + n: User(
                id=first + n,
                username=f"user{n + 1}",
                token=f"toy-token-{n + 1}" if n < token_users else None,
            )
            for n in range(max(total_users, token_users))
        }
        self.by_token = {u.token: u for u in self.users.values() if u.token}
        self.events: dict[int, Event] = {}
        self._event_ids = itertools.count(quirks.first_event_id)

    def create_event(self, creator: User, fields: dict[str, object]) -> Event:
        event = Event(
            id=next(self._event_ids),
            fields=fields,
            creator_id=creator.id,
            manager_id=creator.id,
            created_at=datetime.now(UTC),
            members=[Membership(creator.id, "subscribed")],
        )
        self.events[event.id] = event
        return event

    def is_manager(self, event: Event, user: User) -> bool:
        return event.manager_id == user.id

    def invite(self, event: Event, user_ids: list[int]) -> None:
        """Invite, accept or keep each user, as the manager's POST invite does."""
        q = self.quirks
        if q.invite_cap_per_event is not None and event.successful_invites >= q.invite_cap_per_event:
            return
        event.successful_invites += 1
        if not q.store_invites:
            return
        if q.first_id_only:
            user_ids = user_ids[:1]
        for user_id in user_ids:
            self.invite_one(event, user_id)

    def invite_one(self, event: Event, user_id: int) -> None:
        q = self.quirks
        event.left.discard(user_id)
        membership = event.member(user_id)
        if membership is None:
            event.members.append(Membership(user_id, "invited"))
        elif membership.status == "requested":
            if q.accept_requests:
                membership.status = "subscribed"
        elif membership.status == "subscribed":
            if q.demote_subscribers:
                membership.status = "invited"
        elif membership.status == FORMER:
            membership.status = "subscribed"
        elif membership.status == "invited" and q.duplicate_invites:
            event.members.append(Membership(user_id, "invited"))
        event.cached_counter = len(event.with_status("subscribed"))

    def subscribe_users(self, event: Event, user_ids: list[int]) -> None:
        """A group manager subscribes these users directly, whatever their state."""
        for user_id in user_ids:
            membership = event.member(user_id)
            if membership is None:
                event.members.append(Membership(user_id, "subscribed"))
            else:
                membership.status = "subscribed"
        event.cached_counter = len(event.with_status("subscribed"))

    def withdraw(self, event: Event, user_ids: list[int]) -> None:
        """Remove the invitations of these users; other memberships stay."""
        if self.quirks.withdraw_noop:
            return
        wanted = set(user_ids)
        event.members = [m for m in event.members if not (m.user_id in wanted and m.status == "invited")]

    def subscribe(self, event: Event, user: User) -> None:
        event.left.discard(user.id)
        self._subscribe(event, user)
        event.cached_counter = len(event.with_status("subscribed"))

    def _subscribe(self, event: Event, user: User) -> None:
        membership = event.member(user.id)
        if membership is None or membership.status == FORMER:
            needs_approval = event.private and user.id != event.manager_id
            status = "requested" if needs_approval else "subscribed"
            if membership is None:
                event.members.append(Membership(user.id, status))
            else:
                membership.status = status
        elif membership.status == "invited":
            invited_status = (
                "requested" if self.quirks.invited_must_request and event.private else "subscribed"
            )
            for m in event.members:
                if m.user_id == user.id:
                    m.status = invited_status

    def remove(self, event: Event, user_id: int) -> None:
        """The manager's removal: the user's relation ends, whatever it is."""
        event.members = [m for m in event.members if m.user_id != user_id]

    def may_read_members(self, event: Event, user: User) -> bool:
        """Subscribers read a private event's member list (and its manager, on the lenient reading)."""
        if event.status_of(user.id) == "subscribed" or self.quirks.private_list_open:
            return True
        return self.quirks.left_manager_reads_list and self.is_manager(event, user)

    def unsubscribe(self, event: Event, user: User) -> None:
        membership = event.member(user.id)
        if membership is not None and membership.status == "subscribed":
            event.left.add(user.id)
        if membership is not None and membership.status == "invited" and self.quirks.decline_keeps_invitation:
            return
        if (
            membership is not None
            and membership.status == "subscribed"
            and (self.quirks.stale_membership_after_leave)
        ):
            membership.status = FORMER
        else:
            event.members = [m for m in event.members if m.user_id != user.id]
        if self.quirks.manager_lost_on_leave and event.manager_id == user.id:
            event.manager_id = None
