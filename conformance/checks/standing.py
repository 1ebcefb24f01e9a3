"""Users put in chosen states on a fresh resource, and every read that shows their states, at once.

Several deterministic checks need the same two things: a private resource where each user stands where
the scenario wants (invited, requested, a member, or no relation), and afterwards the state each read
shows (each user's GET status and the three lists the manager reads), to compare with a prediction.
Scenarios name states by what they mean (``MEMBER`` for ``subscribed`` or ``joined``); what the reads
show is in the family's own words (``Context.states``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openapi.families import Action

from ..target import User
from .context import Context
from .outcomes import CheckSkipped

MEMBER = "member"
"""A scenario's word for a plain membership: the family's ``subscribed`` or ``joined``."""
LISTS: tuple[Action, ...] = ("invited", "requested", "members")
"""The actions whose lists the manager reads."""


def word(ctx: Context, state: str | None) -> str | None:
    """The family's word for a scenario's state (``member`` → ``subscribed``, a course's ``joined``)."""
    words = {MEMBER: ctx.member_state, "invited": ctx.invited_state, "requested": ctx.requested_state}
    return words[state] if state is not None else None


@dataclass(frozen=True)
class Standing:
    """Where every user stands, as each user's status and the three lists show it."""

    statuses: dict[User, str | None]
    lists: dict[Action, tuple[int, ...]]
    """List action → the ids it shows, sorted (a user listed twice shows twice)."""

    @classmethod
    def predicted(cls, ctx: Context, statuses: Mapping[User, str | None]) -> Standing:
        """What the reads show when each user stands as `statuses` says (the family's words)."""

        def holding(state: str) -> tuple[int, ...]:
            return tuple(sorted(user.id for user, status in statuses.items() if status == state))

        lists: dict[Action, tuple[int, ...]] = {
            "invited": holding(ctx.invited_state),
            "requested": holding(ctx.requested_state),
            "members": tuple(sorted(ctx.listed_members(statuses))),
        }
        return cls(dict(statuses), {action: lists[action] for action in LISTS if ctx.family.has(action)})

    def differences(self, observed: Standing) -> list[str]:
        """Each read of `observed` that is not as predicted here, in words."""
        found = [
            f"{user} reads {observed.statuses.get(user)!r}, not {wanted!r}"
            for user, wanted in self.statuses.items()
            if observed.statuses.get(user) != wanted
        ]
        found += [
            f"GET {action} lists {list(observed.lists.get(action, ()))}, not {list(ids)}"
            for action, ids in self.lists.items()
            if observed.lists.get(action) != ids
        ]
        return found


def read_standing(ctx: Context, resource: int, users: list[User]) -> Standing:
    """Each user's own GET status and the three lists read by the manager."""
    statuses = {user: ctx.status(resource, user) for user in users}
    listed = [action for action in LISTS if ctx.family.has(action)]
    lists = {action: tuple(sorted(ctx.list_ids(action, resource))) for action in listed}
    return Standing(statuses, lists)


def stand(ctx: Context, wanted: Mapping[User, str | None]) -> tuple[int, Standing]:
    """A fresh private resource where each user of `wanted` stands as it says (the manager: the creator's
    state), and its standing read back; skipped, not judged, when the setup does not hold."""
    resource = ctx.fresh_resource("private")
    manager = ctx.manager
    others = {user: state for user, state in wanted.items() if user != manager}
    invited = [user for user, state in others.items() if state in ("invited", MEMBER)]
    if invited:
        what = f"POST invite of users {[user.id for user in invited]}"
        ctx.given(ctx.invite(resource, [user.id for user in invited]), what, "INV-204")
    for user, state in others.items():
        if state in (MEMBER, "requested"):
            ctx.given(ctx.join(resource, user), f"POST join by {user}", "SPEC-STATUS")
    statuses = {user: word(ctx, state) for user, state in others.items()}
    expected = Standing.predicted(ctx, {manager: ctx.creator_state, **statuses})
    observed = read_standing(ctx, resource, list(expected.statuses))
    if wrong := expected.differences(observed):
        raise CheckSkipped(
            f"prerequisite failed: after setting up {describe(statuses)}: {'; '.join(wrong)} (that is "
            "INV-LISTED's, INV-THEN-SUBSCRIBE's and MODEL-STATEFUL's verdict)"
        )
    return resource, observed


def describe(states: Mapping[User, str | None]) -> str:
    """`member (user 2) invited, requester (user 3) no relation`."""
    return ", ".join(f"{user} {state or 'no relation'}" for user, state in states.items())
