"""Faults of what only courses have: the creator's protections, managers' roles, the join's answer, who
sees a course and who lists its members (docs/contract.md, rules 55–67), one per course requirement."""

from __future__ import annotations

from collections import defaultdict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..bodies import InvalidUsers, ParsedBody
from ..course_endpoints import ROLE_LISTS, SECRET, CourseEndpoints, CreatorAction
from ..course_store import CREATOR, JOINED, LISTED_BY_DEFAULT, MANAGER, CourseStore
from ..registry import fault
from ..store import Resource, ToyUser
from .common import RYW
from .roles import OpenToAnyone

COURSE = ("course",)
# Reads of a manager's powers that a fault of the manager role shows in too.
MANAGER_READS = {"READ-HIDE-MEMBER-COUNT", "PUB-INFO-MANAGER-VIEWS", "PUB-MEMBER-LIST-PRIVACY"}


@fault(
    "creator-leaves",
    "the creator's DELETE join leaves the course (204) instead of 403",
    breaks={"ROLE-CREATOR-STAYS"},
    also={"MODEL-STATEFUL", "MGR-KEEPS", *RYW},
    families=COURSE,
)
class CreatorLeaves(CourseEndpoints):
    def creator_leaving(self, course: Resource, user: ToyUser) -> None:
        pass


@fault(
    "creator-removable",
    "DELETE join/?user=<creator> and POST role naming the creator change the creator's state",
    breaks={"ROLE-CREATOR-KEPT"},
    also={"MODEL-STATEFUL"},
    families=COURSE,
)
class CreatorRemovable(CourseEndpoints):
    def spare_creator(self, course: Resource, user_ids: list[int], action: CreatorAction) -> list[int]:
        return user_ids


@fault(
    "promoted-manager-powerless",
    "a user POST role makes a manager reads `manager` but only the creator manages",
    breaks={"ROLE-PROMOTED"},
    also={
        "MODEL-STATEFUL",
        "ROLE-MANAGER-LEAVES",
        "ROLE-DEMOTED",
        "ROLE-CREATOR-KEPT",
        "PUB-HIDDEN",  # a draft is seen by its managers
        "DEL-204",  # a promoted manager deletes a course too
        *MANAGER_READS,
    },
    families=COURSE,
)
class PromotedManagerPowerless(CourseStore):
    def is_manager(self, resource: Resource, user: ToyUser) -> bool:
        return self.status_of(resource, user.id) == CREATOR


@fault(
    "demoted-manager-keeps-powers",
    "a manager POST role puts in `joined` reads `joined` but still manages",
    breaks={"ROLE-DEMOTED"},
    also={"MODEL-STATEFUL"},
    families=COURSE,
)
class DemotedManagerKeepsPowers(CourseStore):
    """Keeps a manager's powers in a table of its own, which a demotion to ``joined`` forgets to update."""

    def __init__(self, token_users: int) -> None:
        super().__init__(token_users)
        self.demoted: defaultdict[int, set[int]] = defaultdict(set)

    def set_role(self, resource: Resource, user_id: int, state: str | None) -> None:
        if self.status_of(resource, user_id) == MANAGER and state == JOINED:
            self.demoted[resource.id].add(user_id)
        elif state != JOINED:
            self.demoted[resource.id].discard(user_id)
        super().set_role(resource, user_id, state)

    def is_manager(self, resource: Resource, user: ToyUser) -> bool:
        demoted = user.id in self.demoted[resource.id] and self.status_of(resource, user.id) == JOINED
        return demoted or super().is_manager(resource, user)


@fault(
    "manager-role-survives-leave",
    "a manager who leaves the course (DELETE join) still manages it",
    breaks={"ROLE-MANAGER-LEAVES"},
    also={"MODEL-STATEFUL"},
    families=COURSE,
)
class ManagerRoleSurvivesLeave(CourseStore):
    """Remembers managers who left, as a role table kept apart from the memberships would."""

    def __init__(self, token_users: int) -> None:
        super().__init__(token_users)
        self.left_managers: defaultdict[int, set[int]] = defaultdict(set)

    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        if self.status_of(resource, user.id) == MANAGER:
            self.left_managers[resource.id].add(user.id)
        super().unsubscribe(resource, user)

    def is_manager(self, resource: Resource, user: ToyUser) -> bool:
        return user.id in self.left_managers[resource.id] or super().is_manager(resource, user)


@fault(
    "role-unjoined-ignored",
    "POST role answers 204 but leaves the users of `unjoined` as they were",
    breaks={"ROLE-LISTS"},
    also={"ROLE-DEMOTED", "MODEL-STATEFUL"},
    families=COURSE,
)
class RoleUnjoinedIgnored(CourseStore):
    def set_role(self, resource: Resource, user_id: int, state: str | None) -> None:
        if state is not None:
            super().set_role(resource, user_id, state)


@fault(
    "role-not-atomic",
    "POST role applies the lists and ids before an invalid one, then answers 400",
    breaks={"VAL-ROLE"},
    also={"VAL-FIELDS"},  # VAL-FIELDS sends POST role bad values too, and reads the partial change back
    families=COURSE,
)
class RoleNotAtomic(CourseEndpoints):
    def role_lists(self, course: Resource, body: ParsedBody) -> dict[str, list[int]]:
        valid: dict[str, list[int]] = {}
        for name in (name for name in ROLE_LISTS if body.has(name)):
            try:
                valid[name] = self.reader.users(body, name)
            except InvalidUsers as refusal:
                self.change_roles(course, {**valid, name: refusal.valid_before})
                raise
        return super().role_lists(course, body)


@fault(
    "join-answer-stale",
    "POST join answers the course with the caller's join_status from before joining",
    breaks={"SUB-JOIN-ANSWER"},
    families=COURSE,
)
class JoinAnswerStale(CourseEndpoints):
    """Renders the answer from the course as it was read before the join was written."""

    async def join(self, request: Request, resource: Resource, user: ToyUser) -> None:
        self.before_join = self.shapes.course_user_detail(resource, user)
        await super().join(request, resource, user)

    def join_answer(self, resource: Resource, user: ToyUser) -> Response:
        return JSONResponse(self.before_join)


@fault(
    "secret-course-visible",
    "a secret course is seen, and joined at once, by any authenticated user",
    breaks={"PUB-HIDDEN"},
    also={"PUB-MEMBER-LIST-PRIVACY"},
    families=COURSE,
)
class SecretCourseVisible(CourseEndpoints):
    def may_see(self, course: Resource, user: ToyUser | None) -> bool:
        return (user is not None and course.fields["privacy"] == SECRET) or super().may_see(course, user)


@fault(
    "secret-members-listed",
    "anyone lists the members of a secret course, anonymous callers included",
    breaks={"PUB-MEMBER-LIST-PRIVACY"},
    also={"PUB-ANONYMOUS"},
    families=COURSE,
)
class SecretMembersListed(CourseEndpoints):
    def may_list_members(self, course: Resource, user: ToyUser | None) -> bool:
        secret = course.fields["privacy"] == SECRET and not self.member_count_hidden(course)
        return secret or super().may_list_members(course, user)


@fault(
    "lock-screen-shows-dashboard",
    "a private course shows non-members its dashboard (the members' progress), not its lock screen",
    breaks={"PUB-LOCK-SCREEN"},
    families=COURSE,
)
class LockScreenShowsDashboard(CourseEndpoints):
    def user_view(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        if self.locked(course, viewer):
            return self.shapes.course_dashboard(course, viewer)
        return super().user_view(course, viewer)


@fault(
    "private-full-detail",
    "a private course shows non-members the whole Course User Detail, no lock screen (reading 72)",
    breaks={"PUB-LOCK-SCREEN"},
    families=COURSE,
)
class PrivateFullDetail(CourseEndpoints):
    def locked(self, course: Resource, viewer: ToyUser | None) -> bool:
        return False


@fault(
    "manager-views-open",
    "GET course with view=edit or view=dashboard answers 200 to any user who sees the course",
    breaks={"PUB-INFO-MANAGER-VIEWS"},
    families=COURSE,
)
class ManagerViewsOpen(OpenToAnyone):
    action = "info.view"


@fault(
    "hide-member-count-ignored",
    "a course created with hide_member_count true lists its members to anyone",
    breaks={"READ-HIDE-MEMBER-COUNT"},
    also={"PUB-ANONYMOUS"},
    families=COURSE,
)
class HideMemberCountIgnored(CourseEndpoints):
    def member_count_hidden(self, course: Resource) -> bool:
        return False


@fault(
    "statuses-ignored",
    "GET join lists the managers and joined users whatever `statuses` says",
    breaks={"READ-STATUSES"},
    families=COURSE,
)
class StatusesIgnored(CourseEndpoints):
    def member_statuses(self, request: Request) -> tuple[str, ...]:
        return LISTED_BY_DEFAULT
