"""Faults of invitations: the answer to an invite, and what an invitation, a join or a withdrawal changes."""

from __future__ import annotations

from collections import Counter

from starlette.responses import Response

from ..endpoints import FamilyEndpoints
from ..registry import fault
from ..store import Membership, Resource, Store, ToyUser
from .common import ALL, LISTS_READ_AFTER_INVITE, RYW


@fault(
    "status-200", "a successful invite answers 200 instead of 204", breaks={"INV-204"}, also={"SPEC-STATUS"}
)
class InviteAnswers200(FamilyEndpoints):
    def invite_answer(self) -> Response:
        return Response(b"", 200)


@fault("body-on-204", "a successful invite answers 204 with a JSON body", breaks={"INV-EMPTY-BODY"})
class BodyOn204(FamilyEndpoints):
    def invite_answer(self) -> Response:
        body = b'{"detail":"ok"}'
        headers = {"content-length": str(len(body)), "connection": "close"}
        return Response(body, 204, headers, media_type="application/json")


@fault(
    "invite-not-stored",
    "invites answer 204 and are forgotten",
    breaks={"INV-LISTED"},
    also=LISTS_READ_AFTER_INVITE,
)
class InviteNotStored(Store):
    def invite(self, resource: Resource, user_ids: list[int]) -> None:
        pass


@fault(
    "request-not-accepted",
    "inviting a user who asked to join leaves the request pending",
    breaks={"INV-ACCEPT"},
    also={"MODEL-STATEFUL", *RYW},
)
class RequestNotAccepted(Store):
    def invite_one(self, resource: Resource, user_id: int) -> None:
        if self.status_of(resource, user_id) != "requested":
            super().invite_one(resource, user_id)


@fault(
    "subscriber-demoted",
    "inviting a subscriber turns them back into an invited user",
    breaks={"INV-SUBSCRIBER-UNCHANGED"},
    also={"MODEL-STATEFUL", "KEEP-STATE"},
)
class SubscriberDemoted(Store):
    def invite_one(self, resource: Resource, user_id: int) -> None:
        membership = resource.member(user_id)
        if membership is not None and membership.status == "subscribed":
            membership.status = "invited"
        else:
            super().invite_one(resource, user_id)


@fault(
    "duplicates",
    "inviting an invited user again lists them twice",
    breaks={"INV-IDEMPOTENT"},
    also={"MODEL-STATEFUL", "VAL-ID-FORMS", "VAL-LONG-LISTS", "KEEP-STATE"},
)
class DuplicateInvites(Store):
    def invite_one(self, resource: Resource, user_id: int) -> None:
        if self.status_of(resource, user_id) == "invited":
            resource.members.append(Membership(user_id, "invited"))
        else:
            super().invite_one(resource, user_id)


@fault(
    "first-id-only",
    "only the first id of users is invited",
    breaks={"INV-ALL-IDS"},
    also={"MEDIA-FORM", "MEDIA-MULTIPART", "MODEL-STATEFUL", "VAL-ID-FORMS", "VAL-LONG-LISTS", *RYW},
    families=ALL,
)
class FirstIdOnly(Store):
    def invite(self, resource: Resource, user_ids: list[int]) -> None:
        super().invite(resource, user_ids[:1])


@fault(
    "invited-must-request",
    "an invited user who subscribes to a private event is only requested",
    breaks={"INV-THEN-SUBSCRIBE"},
    also={"MODEL-STATEFUL", *RYW},
)
class InvitedMustRequest(Store):
    def accept_invitation(self, resource: Resource, user: ToyUser) -> None:
        resource.set_status(user.id, "requested" if resource.private else "subscribed")


@fault(
    "withdraw-noop",
    "DELETE invite answers 204 and changes nothing",
    breaks={"INV-WITHDRAW"},
    # ROLE-PROMOTED: a course's promoted manager withdraws an invitation too
    also={"MODEL-STATEFUL", "MEDIA-PARAMS", "MEDIA-CASE", "ROLE-PROMOTED", "VAL-LONG-LISTS", *RYW},
    families=ALL,
)
class WithdrawNoop(Store):
    def withdraw(self, resource: Resource, user_ids: list[int]) -> None:
        pass


@fault(
    "withdraw-drops-requests",
    "DELETE invite also drops the pending requests of the users it lists",
    breaks={"KEEP-STATE"},
    also={"MODEL-STATEFUL"},
)
class WithdrawDropsRequests(Store):
    def withdraw(self, resource: Resource, user_ids: list[int]) -> None:
        super().withdraw(resource, user_ids)
        for user_id in user_ids:
            if self.status_of(resource, user_id) == "requested":
                resource.drop(user_id)


@fault(
    "invite-cap",
    "after three invite requests on an event, further invites are dropped",
    breaks={"RYW-STATUS"},
    also={"MODEL-STATEFUL", *RYW},
)
class InviteCap(Store):
    """Shows only after several steps."""

    CAP = 3

    def __init__(self, token_users: int) -> None:
        super().__init__(token_users)
        self.invite_requests: Counter[int] = Counter()

    def invite(self, resource: Resource, user_ids: list[int]) -> None:
        if self.invite_requests[resource.id] >= self.CAP:
            return
        self.invite_requests[resource.id] += 1
        super().invite(resource, user_ids)


FORMER = "former"


@fault(
    "stale-membership",
    "a user who left and is invited again comes back subscribed (a course's: joined)",
    breaks={"RYW-STATUS"},
    also={"MODEL-STATEFUL", *RYW},
    families=ALL,
)
class StaleMembership(Store):
    """A member who leaves keeps a hidden membership, which the next invitation revives as it was."""

    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        membership = resource.member(user.id)
        if membership is not None and membership.status == self.MEMBER:
            membership.status = FORMER
        else:
            super().unsubscribe(resource, user)

    def status_of(self, resource: Resource, user_id: int) -> str | None:
        status = super().status_of(resource, user_id)
        return None if status == FORMER else status

    def invite_one(self, resource: Resource, user_id: int) -> None:
        membership = resource.member(user_id)
        if membership is not None and membership.status == FORMER:
            membership.status = self.MEMBER
        else:
            super().invite_one(resource, user_id)

    def subscribe(self, resource: Resource, user: ToyUser) -> None:
        membership = resource.member(user.id)
        if membership is not None and membership.status == FORMER:
            membership.status = self.joining_status(resource, user)
        else:
            super().subscribe(resource, user)
