"""Faults of reads right after a write: each read that still shows the state before someone left."""

from __future__ import annotations

from collections import defaultdict

from ..endpoints import FamilyEndpoints
from ..registry import fault
from ..representation import Representation
from ..store import Resource, Store, ToyUser


class RemembersLeavers(Store):
    """Remembers who left each resource since their last invitation or join, as a stale cache would."""

    def __init__(self, token_users: int) -> None:
        super().__init__(token_users)
        self.left: defaultdict[int, set[int]] = defaultdict(set)

    def unsubscribe(self, resource: Resource, user: ToyUser) -> None:
        if self.status_of(resource, user.id) == "subscribed":
            self.left[resource.id].add(user.id)
        super().unsubscribe(resource, user)

    def invite_one(self, resource: Resource, user_id: int) -> None:
        self.left[resource.id].discard(user_id)
        super().invite_one(resource, user_id)

    def subscribe(self, resource: Resource, user: ToyUser) -> None:
        self.left[resource.id].discard(user.id)
        super().subscribe(resource, user)


def has_left(store: Store, resource: Resource, user_id: int) -> bool:
    assert isinstance(store, RemembersLeavers)
    return user_id in store.left[resource.id]


@fault(
    "status-stale-after-leave",
    "GET status still says subscribed after leaving",
    breaks={"RYW-STATUS"},
    also={"MODEL-STATEFUL", "SUB-SELF-ONLY"},
    with_parts=(RemembersLeavers,),
)
class StatusStaleAfterLeave(FamilyEndpoints):
    def own_status(self, resource: Resource, user: ToyUser) -> str | None:
        return "subscribed" if has_left(self.store, resource, user.id) else super().own_status(resource, user)


@fault(
    "event-status-stale-after-leave",
    "GET event still says subscribed after leaving",
    breaks={"RYW-EVENT-STATUS"},
    with_parts=(RemembersLeavers,),
)
class EventStatusStaleAfterLeave(Representation):
    def subscription_status(self, event: Resource, viewer: ToyUser | None) -> str | None:
        if viewer is not None and has_left(self.store, event, viewer.id):
            return "subscribed"
        return super().subscription_status(event, viewer)


@fault(
    "subscribers-list-stale-after-leave",
    "GET subscribe still lists who just left",
    breaks={"RYW-LISTS"},
    also={"RYW-COUNTER", "MODEL-STATEFUL"},
)
class SubscribersListStale(RemembersLeavers):
    def subscribers(self, resource: Resource) -> list[int]:
        listed = super().subscribers(resource)
        return listed + sorted(self.left[resource.id] - set(listed))


@fault("counter-stale", "subscribers_counter is not updated when someone leaves", breaks={"RYW-COUNTER"})
class CounterStale(Store):
    """Counts an event's subscribers when one joins or is accepted, never when one leaves or is removed."""

    def __init__(self, token_users: int) -> None:
        super().__init__(token_users)
        self.counted: dict[int, int] = {}

    def subscribers_counter(self, resource: Resource) -> int:
        return self.counted.get(resource.id, 1)

    def recount(self, resource: Resource) -> None:
        self.counted[resource.id] = super().subscribers_counter(resource)

    def invite_one(self, resource: Resource, user_id: int) -> None:
        super().invite_one(resource, user_id)
        self.recount(resource)

    def subscribe(self, resource: Resource, user: ToyUser) -> None:
        super().subscribe(resource, user)
        self.recount(resource)

    def subscribe_users(self, resource: Resource, user_ids: list[int]) -> None:
        super().subscribe_users(resource, user_ids)
        self.recount(resource)
