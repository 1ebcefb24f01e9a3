"""Faults of roles: what only the manager may do is open to others, or the manager role is lost."""

from __future__ import annotations

from ..endpoints import NOT_THE_MANAGER, FamilyEndpoints, ManagerAction
from ..registry import fault
from ..store import Resource, Store, ToyUser
from .common import ALL, COURSE_FORMER_MANAGERS, GROUP_INVITES, RYW


class OpenToAnyone(FamilyEndpoints):
    """Lets any authenticated user do ``action``, which only the manager may."""

    action: ManagerAction

    def require_manager(
        self, resource: Resource, user: ToyUser, action: ManagerAction, refusal: str = NOT_THE_MANAGER
    ) -> None:
        if action != self.action:
            super().require_manager(resource, user, action, refusal)


@fault(
    "non-manager-invites",
    "any authenticated user may invite",
    breaks={"MGR-INVITE-POST", "MODEL-STATEFUL"},
    also=GROUP_INVITES | COURSE_FORMER_MANAGERS,
    families=ALL,
)
class NonManagerInvites(OpenToAnyone):
    action = "invite"


@fault(
    "non-manager-lists",
    "any authenticated user may list the invitations",
    breaks={"MGR-INVITE-GET"},
    also=GROUP_INVITES,
)
class NonManagerLists(OpenToAnyone):
    action = "invited"


@fault(
    "non-manager-withdraws",
    "any authenticated user may withdraw invitations",
    breaks={"MGR-INVITE-DELETE"},
    also=GROUP_INVITES,
)
class NonManagerWithdraws(OpenToAnyone):
    action = "remove_invitation"


@fault(
    "non-manager-sees-requests", "any authenticated user may list the pending requests", breaks={"MGR-OTHER"}
)
class NonManagerSeesRequests(OpenToAnyone):
    action = "requested"


@fault(
    "removal-by-anyone",
    "any subscriber removes users with DELETE subscribe/?user=ID",
    breaks={"PUB-REMOVAL-MANAGER-ONLY"},
    also={"MODEL-STATEFUL", *COURSE_FORMER_MANAGERS},  # a course's model removes users too
    families=ALL,
)
class RemovalByAnyone(OpenToAnyone):
    action = "leave.user"


@fault(
    "direct-subscribe-by-anyone",
    "any user subscribes users to a group directly",
    breaks={"SUB-DIRECT-MANAGER-ONLY"},
    families=("group",),
)
class DirectSubscribeByAnyone(OpenToAnyone):
    action = "join.users"


@fault(
    "manager-lost-on-leave",
    "a manager who leaves the event can no longer invite",
    breaks={"MGR-KEEPS"},
    also={"MODEL-STATEFUL", *RYW},
)
class ManagerLostOnLeave(Store):
    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        super().unsubscribe(resource, user)
        if resource.manager_id == user.id:
            resource.manager_id = None
