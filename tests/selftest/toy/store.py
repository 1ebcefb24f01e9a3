"""The in-memory state of one family: users, its resources (events, groups or courses) and who stands where
in each."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class ToyUser:
    id: int
    username: str
    token: str | None
    staff: bool = False
    """A staff member of the community (the first user): who creates courses when only staff may."""


@dataclass
class Membership:
    user_id: int
    status: str
    """invited, requested or the family's member state (a course also knows manager and creator; a
    fault may keep other marks)."""


@dataclass
class Resource:
    """An event, a group or a course: the fields it was created with, and its memberships in the order
    they began."""

    id: int
    fields: dict[str, object]
    creator_id: int
    manager_id: int | None
    created_at: datetime
    members: list[Membership] = field(default_factory=list)

    @property
    def private(self) -> bool:
        return self.fields["privacy"] == "private"

    def member(self, user_id: int) -> Membership | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def with_status(self, status: str) -> list[int]:
        return [m.user_id for m in self.members if m.status == status]

    def set_status(self, user_id: int, status: str) -> None:
        for membership in self.members:
            if membership.user_id == user_id:
                membership.status = status

    def drop(self, user_id: int) -> None:
        """The user's relation with the resource ends, whatever it is."""
        self.members = [m for m in self.members if m.user_id != user_id]


class Store:
    """Users with static tokens, the resources created through the API, and the writes the contract defines.

    Each method is one write or read of the contract; a fault or variant overrides the one it changes.
    """

    FIRST_USER_ID = 1
    FIRST_RESOURCE_ID = 1
    RESOURCE_ID_STEP = 1
    TOTAL_USERS = 20
    MEMBER = "subscribed"
    """The state of a user who is in: an event's or a group's subscriber, a course's joined user."""

    def __init__(self, token_users: int) -> None:
        first = self.FIRST_USER_ID
        self.users = {
            first + n: ToyUser(
                id=first + n,
                username=f"user{n + 1}",
                token=f"toy-token-{n + 1}" if n < token_users else None,
                staff=n == 0,
            )
            for n in range(max(self.TOTAL_USERS, token_users))
        }
        self.by_token = {u.token: u for u in self.users.values() if u.token}
        self.resources: dict[int, Resource] = {}
        self._resource_ids = itertools.count(self.FIRST_RESOURCE_ID, self.RESOURCE_ID_STEP)

    @property
    def first_user(self) -> ToyUser:
        return self.users[self.FIRST_USER_ID]

    def create(self, creator: ToyUser, fields: dict[str, object]) -> Resource:
        """The creator manages the new resource and is its first subscriber."""
        resource = Resource(
            id=next(self._resource_ids),
            fields=fields,
            creator_id=creator.id,
            manager_id=creator.id,
            created_at=datetime.now(UTC),
            members=[Membership(creator.id, self.creator_status())],
        )
        self.resources[resource.id] = resource
        return resource

    def delete(self, resource: Resource) -> None:
        """The resource is gone, and every membership of it: every later request about it is 404."""
        del self.resources[resource.id]

    def creator_status(self) -> str:
        """The creator's state right after creating the resource."""
        return self.MEMBER

    def is_manager(self, resource: Resource, user: ToyUser) -> bool:
        return resource.manager_id == user.id

    # Reads

    def status_of(self, resource: Resource, user_id: int) -> str | None:
        membership = resource.member(user_id)
        return None if membership is None else membership.status

    def subscribers(self, resource: Resource) -> list[int]:
        """GET subscribe's users."""
        return resource.with_status(self.MEMBER)

    def subscribers_counter(self, resource: Resource) -> int:
        """An event's ``subscribers_counter``."""
        return len(resource.with_status(self.MEMBER))

    # Invitations

    def invite(self, resource: Resource, user_ids: list[int]) -> None:
        """The manager's POST invite: every listed user."""
        for user_id in user_ids:
            self.invite_one(resource, user_id)

    def invite_one(self, resource: Resource, user_id: int) -> None:
        """A stranger is invited, a user who asked to join is accepted; invited users and subscribers stay."""
        membership = resource.member(user_id)
        if membership is None:
            resource.members.append(Membership(user_id, "invited"))
        elif membership.status == "requested":
            membership.status = self.MEMBER

    def withdraw(self, resource: Resource, user_ids: list[int]) -> None:
        """DELETE invite: the invitations of these users go; other memberships stay."""
        wanted = set(user_ids)
        resource.members = [
            m for m in resource.members if not (m.user_id in wanted and m.status == "invited")
        ]

    # Joining and leaving

    def subscribe(self, resource: Resource, user: ToyUser) -> None:
        """POST subscribe: an invited user accepts; anyone else joins, or asks to if they need approval."""
        membership = resource.member(user.id)
        if membership is None:
            resource.members.append(Membership(user.id, self.joining_status(resource, user)))
        elif membership.status == "invited":
            self.accept_invitation(resource, user)

    def joining_status(self, resource: Resource, user: ToyUser) -> str:
        """Joining a private resource needs its manager's approval, unless one is its manager."""
        return "requested" if resource.private and user.id != resource.manager_id else self.MEMBER

    def accept_invitation(self, resource: Resource, user: ToyUser) -> None:
        resource.set_status(user.id, self.MEMBER)

    def subscribe_users(self, resource: Resource, user_ids: list[int]) -> None:
        """A group manager's POST subscribe with ``users``: each is subscribed, whatever their state."""
        for user_id in user_ids:
            membership = resource.member(user_id)
            if membership is None:
                resource.members.append(Membership(user_id, self.MEMBER))
            else:
                membership.status = self.MEMBER

    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        """DELETE subscribe: the caller leaves, declines an invitation or withdraws a request."""
        resource.drop(user.id)

    def remove(self, resource: Resource, user_id: int) -> None:
        """The manager's DELETE subscribe/?user=ID: that user's relation ends, whatever it is."""
        resource.drop(user_id)
