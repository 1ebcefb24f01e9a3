"""KEEP-STATE: every write of the lifecycle leaves alone the users it names but does not act on.

The contract says, write by write, which users keep their state: an invitation leaves invited users and
subscribers as they are (rule 8), a withdrawal every listed user who is not invited (rule 13), joining
again a caller who asked already or is in (rules 15, 16), leaving or a manager's removal a user with no
relation (rules 17, 18), a direct subscription the subscribers (rule 51). One deterministic scenario
per write and family puts users in each of those states (the manager too, where the write may name
them), sends the write naming them, and reads back every user's status and the three lists: nobody's
state may change. A random interleaving (MODEL-STATEFUL) names such users only by luck.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..exchange import Exchange
from ..target import User
from .context import Context, succeeded
from .outcomes import Observation, expect
from .registry import requirement
from .standing import MEMBER, Standing, describe, read_standing, stand

MANAGER = "manager"
"""Stands for the manager among the states a write may name (the creator: a member, and managing)."""

Send = Callable[[Context, int, list[User]], list[Exchange]]


@dataclass(frozen=True)
class Write:
    """One write of the lifecycle and the states of the users it names that it must leave alone."""

    label: str
    rule: str
    keeps: tuple[str | None, ...]
    send: Send
    valid: bool
    """The contract makes naming such users a valid request (a 2xx); otherwise any answer but a 5xx."""
    applies: Callable[[Context], bool]


def _ids(users: list[User]) -> list[int]:
    return [user.id for user in users]


def _remove(ctx: Context, resource: int, user: User) -> Exchange:
    operation = ctx.op("leave")
    return ctx.client.request(
        operation.method, operation.url(resource), token=ctx.manager.token, params={"user": user.id}
    )


WRITES = (
    Write(
        "POST invite naming them",
        "rule 8",
        ("invited", MEMBER, MANAGER),
        lambda ctx, resource, users: [ctx.invite(resource, _ids(users))],
        True,
        lambda ctx: ctx.family.has("invite"),
    ),
    Write(
        "DELETE invite naming them",
        "rule 13",
        ("requested", MEMBER, None, MANAGER),
        lambda ctx, resource, users: [ctx.remove_invitation(resource, _ids(users))],
        True,
        lambda ctx: ctx.family.has("remove_invitation"),
    ),
    Write(
        "POST subscribe by each of them",
        "rules 15 and 16",
        ("requested", MEMBER, MANAGER),
        lambda ctx, resource, users: [ctx.join(resource, user) for user in users],
        True,
        lambda ctx: ctx.family.has("join"),
    ),
    Write(
        "DELETE subscribe by each of them",
        "rule 17",
        (None,),
        lambda ctx, resource, users: [ctx.leave(resource, user) for user in users],
        False,
        lambda ctx: ctx.family.has("leave"),
    ),
    Write(
        "DELETE subscribe/?user=ID by the manager for each of them",
        "rule 18",
        (None,),
        lambda ctx, resource, users: [_remove(ctx, resource, user) for user in users],
        False,
        lambda ctx: ctx.family.documents("leave.user"),
    ),
    Write(
        "POST subscribe with users by the manager naming them",
        "rule 51",
        (MEMBER, MANAGER),
        lambda ctx, resource, users: [
            ctx.call("join", ctx.manager, resource, json_body={"users": _ids(users)})
        ],
        True,
        lambda ctx: ctx.family.documents("join.users"),
    ),
)


def rounds(ctx: Context, keeps: tuple[str | None, ...]) -> list[dict[User, str | None]]:
    """The users each round names, with the state each is put in: one round when the tokens are enough
    for one user per state, else as many as it takes."""
    others = list(dict.fromkeys(user for user in ctx.target.others))
    states = [state for state in keeps if state != MANAGER]
    found = []
    for start in range(0, len(states), len(others)):
        found.append(dict(zip(others, states[start : start + len(others)], strict=False)))
    return found


def check_write(ctx: Context, write: Write) -> int:
    """Every round of `write`; the number of users it named."""
    named_count = 0
    for named_states in rounds(ctx, write.keeps):
        everyone = {user: named_states.get(user) for user in ctx.target.users if user != ctx.manager}
        resource, before = stand(ctx, everyone)
        named = list(named_states) + ([ctx.manager] if MANAGER in write.keeps else [])
        named_count += len(named)
        with_states = {user: before.statuses[user] for user in named}
        answers = write.send(ctx, resource, named)
        if write.valid:
            refused = [exchange for exchange in answers if not succeeded(exchange)]
            expect(
                not refused,
                f"{write.label} ({describe(with_states)}) answered "
                f"{', '.join(str(e.status) for e in refused)}: naming users in these states is a valid "
                f"request ({write.rule}), which leaves them as they are",
                *refused,
            )
        else:
            broken = [exchange for exchange in answers if exchange.status is None or exchange.status >= 500]
            expect(
                not broken,
                f"{write.label} ({describe(with_states)}) answered "
                f"{', '.join(str(e.status) for e in broken)}",
                *broken,
            )
        after = read_standing(ctx, resource, list(before.statuses))
        changed = Standing.predicted(ctx, before.statuses).differences(after)
        expect(
            not changed,
            f"{write.label} ({describe(with_states)}) changed what it must leave alone ({write.rule}: "
            f"users in these states keep them, and nobody else is touched): {'; '.join(changed)}",
            *answers,
        )
    return named_count


@requirement("KEEP-STATE")
def writes_keep_other_states(ctx: Context) -> Observation:
    checked = [write for write in WRITES if write.applies(ctx)]
    named = sum(check_write(ctx, write) for write in checked)
    return Observation(
        f"{len(checked)} writes ({'; '.join(write.label for write in checked)}) naming {named} users in the "
        "states each must leave alone, read back through every status and the three lists: none changed"
    )
