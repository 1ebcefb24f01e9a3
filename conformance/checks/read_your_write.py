"""RYW-*: after every state change, every read that shows that state shows it at once (rule 44).

One fixed sequence of writes (the same on every seed) runs once per run; after each write the suite
reads each user's GET status, each user's GET event (`subscription_status`), the three lists and the
manager's `subscribers_counter`, and compares them with what the contract predicts. Each requirement
judges one kind of read, so a server with a stale counter fails RYW-COUNTER and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..exchange import Exchange
from ..target import User
from .context import Context, succeeded
from .outcomes import CheckFailed, CheckSkipped
from .registry import requirement

UNSET = object()


@dataclass
class Step:
    """One write and the state the contract predicts after it."""

    label: str
    write: Callable[[], Exchange]
    expected: dict[User, str | None]


@dataclass
class Observed:
    """What the reads showed after one step: one mismatch list per kind of read."""

    label: str
    write: Exchange
    reads: list[Exchange] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    counter: Any = UNSET
    """The manager's `subscribers_counter` (UNSET when the event leaves the optional field out)."""

    def add(self, requirement_id: str, problem: str) -> None:
        self.problems.setdefault(requirement_id, []).append(problem)


def private_sequence(ctx: Context, resource: int) -> list[Step]:
    """Invite, withdraw, accept an invitation, request, accept a request, leave, be invited again…"""
    target = ctx.target
    manager, a, b = target.manager, target.member, target.requester
    state: dict[User, str | None] = {manager: ctx.creator_state, a: None, b: None}
    joined, requested = ctx.member_state, ctx.requested_state

    def step(label: str, write: Callable[[], Exchange], **changes: str | None) -> Step:
        for role, status in changes.items():
            state[{"a": a, "b": b, "manager": manager}[role]] = status
        return Step(label, write, dict(state))

    return [
        step(f"the manager invites {a}", lambda: ctx.invite(resource, [a.id]), a="invited"),
        step(
            f"the manager withdraws {a}'s invitation", lambda: ctx.remove_invitation(resource, [a.id]), a=None
        ),
        step(
            f"the manager invites {a} and {b}",
            lambda: ctx.invite(resource, [a.id, b.id]),
            a="invited",
            b="invited",
        ),
        step(f"{a} accepts the invitation (POST subscribe)", lambda: ctx.join(resource, a), a=joined),
        step(
            f"the manager withdraws {b}'s invitation", lambda: ctx.remove_invitation(resource, [b.id]), b=None
        ),
        step(f"{b} asks to join (POST subscribe)", lambda: ctx.join(resource, b), b=requested),
        step(f"the manager accepts {b} (POST invite)", lambda: ctx.invite(resource, [b.id]), b=joined),
        step(f"{a} leaves (DELETE subscribe)", lambda: ctx.leave(resource, a), a=None),
        step(
            f"the manager invites {a} again after they left",
            lambda: ctx.invite(resource, [a.id]),
            a="invited",
        ),
        step(f"{b} leaves", lambda: ctx.leave(resource, b), b=None),
        step(f"{b} asks to join again", lambda: ctx.join(resource, b), b=requested),
        step(f"{b} withdraws the request (DELETE subscribe)", lambda: ctx.leave(resource, b), b=None),
    ]


def public_sequence(ctx: Context, resource: int) -> list[Step]:
    """Join, leave and join again a public event; the manager leaves and rejoins (where the creator may
    leave: a course's may not)."""
    target = ctx.target
    manager, a = target.manager, target.member
    state: dict[User, str | None] = {manager: ctx.creator_state, a: None}
    joined = ctx.member_state

    def step(label: str, write: Callable[[], Exchange], user: User, status: str | None) -> Step:
        state[user] = status
        return Step(label, write, dict(state))

    steps = [
        step(f"{a} joins the public event", lambda: ctx.join(resource, a), a, joined),
        step(f"{a} leaves it", lambda: ctx.leave(resource, a), a, None),
        step(f"{a} joins it again", lambda: ctx.join(resource, a), a, joined),
    ]
    if ctx.creator_may_leave("public"):
        steps += [
            step("the manager leaves it", lambda: ctx.leave(resource, manager), manager, None),
            step("the manager joins it again", lambda: ctx.join(resource, manager), manager, joined),
        ]
    return steps


def read_back(ctx: Context, resource: int, step: Step, observed: Observed) -> None:
    """Every read showing the state, compared with the step's prediction."""
    expected = step.expected
    for user, wanted in expected.items():
        status_read = ctx.call("status", user, resource)
        observed.reads.append(status_read)
        body = status_read.json_or_none()
        status: Any = body.get("status", UNSET) if isinstance(body, dict) else UNSET
        if status_read.status != 200 or status is UNSET:
            observed.add(
                "RYW-STATUS", f"GET status for {user} answered {status_read.status} without `status`"
            )
        elif status != wanted:
            observed.add("RYW-STATUS", f"GET status for {user} says {status!r}, expected {wanted!r}")
        info = ctx.call("info", user, resource)
        observed.reads.append(info)
        info_body = info.json_or_none()
        if info.status != 200 or not isinstance(info_body, dict):
            observed.add("RYW-EVENT-STATUS", f"GET event for {user} answered {info.status} without an event")
            continue
        field = ctx.states.field or "subscription_status"
        shown = info_body.get(field)  # optional in the schema: absent means no relation
        if shown != wanted:
            observed.add(
                "RYW-EVENT-STATUS",
                f"GET event for {user} says {field} {shown!r}, expected {wanted!r}",
            )
        if user is ctx.manager:
            check_counter(info_body, expected, observed, ctx.states.listed)
    lists = {
        "invited": [user.id for user, status in expected.items() if status == ctx.invited_state],
        "requested": [user.id for user, status in expected.items() if status == ctx.requested_state],
        "members": ctx.listed_members(expected),
    }
    for operation_id, ids in lists.items():
        start = len(ctx.client.exchanges)
        listed = sorted(ctx.list_ids(operation_id, resource))
        observed.reads += ctx.client.exchanges[start:]
        wanted_ids = sorted(ids)
        if listed != wanted_ids:
            observed.add("RYW-LISTS", f"{ctx.op(operation_id).label} lists {listed}, expected {wanted_ids}")
        if operation_id == "members":
            check_count(observed, ctx.client.exchanges[start].json_or_none())


def check_counter(
    info_body: dict[str, Any], expected: dict[User, str | None], observed: Observed, counted: tuple[str, ...]
) -> None:
    subscribers = sum(1 for status in expected.values() if status in counted)
    counter = observed.counter = info_body.get("subscribers_counter", UNSET)
    if counter is not UNSET and counter != subscribers:
        observed.add(
            "RYW-COUNTER",
            f"GET event says subscribers_counter {counter!r}; {subscribers} users are subscribed",
        )


def check_count(observed: Observed, page: Any) -> None:
    """The counter equals the `count` of GET subscribe (read on its first page)."""
    counter = observed.counter
    count = page.get("count") if isinstance(page, dict) else None
    if counter is not UNSET and count is not None and counter != count:
        observed.add(
            "RYW-COUNTER", f"subscribers_counter is {counter!r} but GET subscribe says count={count!r}"
        )


def run_sequences(ctx: Context) -> list[Observed]:
    """The fixed sequences, each write followed by every read; cached for the four requirements."""
    cached = ctx.notes.get("read_your_write")
    if cached is not None:
        if isinstance(cached, (CheckSkipped, CheckFailed)):
            raise cached
        return cached
    results: list[Observed] = []
    try:
        private, public = ctx.fresh_resource("private"), ctx.fresh_resource("public")
        for resource, steps in (
            (private, private_sequence(ctx, private)),
            (public, public_sequence(ctx, public)),
        ):
            for step in steps:
                write = step.write()
                if not succeeded(write):
                    raise CheckSkipped(
                        f"prerequisite failed: {step.label} answered {write.status}, not a success (that "
                        "answer is SPEC-STATUS's and MODEL-STATEFUL's verdict)",
                        [write],
                    )
                observed = Observed(step.label, write)
                read_back(ctx, resource, step, observed)
                results.append(observed)
    except (CheckSkipped, CheckFailed) as ended:  # a read refused outright ends the sequence for all four
        ctx.notes["read_your_write"] = ended
        raise
    ctx.notes["read_your_write"] = results
    return results


def judge(ctx: Context, requirement_id: str, advice: str) -> None:
    history: list[str] = []
    for observed in run_sequences(ctx):
        history.append(observed.label)
        problems = observed.problems.get(requirement_id)
        if problems:
            raise CheckFailed(
                f"after: {observed.label}\n  "
                + "\n  ".join(problems[:6])
                + "\nsteps so far:\n  "
                + "\n  ".join(history)
                + f"\n{advice}",
                [observed.write, *observed.reads][:12],
            )


@requirement("RYW-STATUS")
def status_follows_writes(ctx: Context) -> None:
    judge(ctx, "RYW-STATUS", "GET status must show each change as soon as the write is answered.")


@requirement("RYW-LISTS")
def lists_follow_writes(ctx: Context) -> None:
    judge(ctx, "RYW-LISTS", "Each list must show each change as soon as the write is answered.")


@requirement("RYW-EVENT-STATUS")
def subscription_status_follows_writes(ctx: Context) -> None:
    judge(
        ctx,
        "RYW-EVENT-STATUS",
        "GET event's subscription_status must be the caller's state now (the same as GET status).",
    )


@requirement("RYW-COUNTER")
def counter_follows_writes(ctx: Context) -> None:
    judge(
        ctx,
        "RYW-COUNTER",
        "subscribers_counter must count the subscribers now: update it on every join, leave and acceptance.",
    )
