"""The state of courses: the shared lifecycle's store, where the roles are states of the membership.

A course has one creator and any number of managers; each is a state of the user's membership
(docs/contract.md, rule 56), so a manager who leaves is no longer one (rule 62), unlike an event's manager.
"""

from __future__ import annotations

from collections.abc import Collection

from .store import Membership, Resource, Store, ToyUser

CREATOR = "creator"
MANAGER = "manager"
JOINED = "joined"
MANAGING = (CREATOR, MANAGER)
MEMBERS = (CREATOR, MANAGER, JOINED)
LISTED_BY_DEFAULT = (MANAGER, JOINED)
"""GET join/ without ``statuses``: the managers and the joined users, not the creator (rule 65)."""


class CourseStore(Store):
    """Courses: joining makes a user ``joined``; the creator and the managers manage."""

    MEMBER = JOINED

    def creator_status(self) -> str:
        return CREATOR

    def is_manager(self, resource: Resource, user: ToyUser) -> bool:
        return self.status_of(resource, user.id) in MANAGING

    def members(self, resource: Resource, statuses: Collection[str]) -> list[int]:
        """GET join/'s users: the members in one of ``statuses``."""
        return [m.user_id for m in resource.members if m.status in statuses]

    def subscribers(self, resource: Resource) -> list[int]:
        return self.members(resource, LISTED_BY_DEFAULT)

    def set_role(self, resource: Resource, user_id: int, state: str | None) -> None:
        """POST role/: the user's state becomes ``state`` (None: no relation), whatever it was."""
        membership = resource.member(user_id)
        if state is None:
            resource.drop(user_id)
        elif membership is None:
            resource.members.append(Membership(user_id, state))
        else:
            membership.status = state
