"""Users put in chosen states on a fresh resource, and every read that shows their states, at once.

Several deterministic checks need the same two things: a private resource where each user stands where
the scenario wants (invited, requested, subscribed, or no relation), and afterwards the state each read
shows (each user's GET status and the three lists the manager reads), to compare with a prediction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..target import User
from .context import Context
from .outcomes import CheckSkipped

#: Each state and the list that shows it.
LISTS = {"invited": "invited", "requested": "requested", "subscribed": "members"}


@dataclass(frozen=True)
class Standing:
    """Where every user stands, as each user's status and the three lists show it."""

    statuses: dict[User, str | None]
    lists: dict[str, tuple[int, ...]]
    """State → the ids its list shows, sorted (a user listed twice shows twice)."""

    @classmethod
    def predicted(cls, statuses: Mapping[User, str | None]) -> Standing:
        """What the reads show when each user stands as `statuses` says."""
        lists = {
            state: tuple(sorted(user.id for user, status in statuses.items() if status == state))
            for state in LISTS
        }
        return cls(dict(statuses), lists)

    def differences(self, observed: Standing) -> list[str]:
        """Each read of `observed` that is not as predicted here, in words."""
        found = [
            f"{user} reads {observed.statuses.get(user)!r}, not {wanted!r}"
            for user, wanted in self.statuses.items()
            if observed.statuses.get(user) != wanted
        ]
        found += [
            f"GET {operation} lists {list(observed.lists.get(state, ()))}, not {list(self.lists[state])}"
            for state, operation in LISTS.items()
            if observed.lists.get(state) != self.lists[state]
        ]
        return found


def read_standing(ctx: Context, resource: int, users: list[User]) -> Standing:
    """Each user's own GET status and the three lists read by the manager."""
    statuses = {user: ctx.status(resource, user) for user in users}
    lists = {state: tuple(sorted(ctx.list_ids(operation, resource))) for state, operation in LISTS.items()}
    return Standing(statuses, lists)


def stand(ctx: Context, wanted: Mapping[User, str | None]) -> tuple[int, Standing]:
    """A fresh private resource where each user of `wanted` stands as it says (the manager: subscribed),
    and its standing read back; skipped, not judged, when the setup does not hold."""
    resource = ctx.fresh_resource("private")
    manager = ctx.manager
    others = {user: state for user, state in wanted.items() if user != manager}
    invited = [user for user, state in others.items() if state in ("invited", "subscribed")]
    if invited:
        what = f"POST invite of users {[user.id for user in invited]}"
        ctx.given(ctx.invite(resource, [user.id for user in invited]), what, "INV-204")
    for user, state in others.items():
        if state in ("subscribed", "requested"):
            ctx.given(ctx.join(resource, user), f"POST subscribe by {user}", "SPEC-STATUS")
    expected = Standing.predicted({manager: "subscribed", **others})
    observed = read_standing(ctx, resource, list(expected.statuses))
    if wrong := expected.differences(observed):
        raise CheckSkipped(
            f"prerequisite failed: after setting up {describe(others)}: {'; '.join(wrong)} (that is "
            "INV-LISTED's, INV-THEN-SUBSCRIBE's and MODEL-STATEFUL's verdict)"
        )
    return resource, observed


def describe(states: Mapping[User, str | None]) -> str:
    """`member (user 2) invited, requester (user 3) no relation`."""
    return ", ".join(f"{user} {state or 'no relation'}" for user, state in states.items())
