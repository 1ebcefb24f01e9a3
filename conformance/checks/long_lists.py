"""VAL-LONG-LISTS: id lists of 1,001 and 10,000 entries, of known ids repeated and of unknown ids.

The spec states no ``maxItems`` for any id list, so generated requests never send a long one; these
probes do, on every write whose body takes a list of integer ids (read from the spec). Rule 29 lets a
server choose its limit: it accepts a list (with the effect the distinct ids would have) or refuses it
with a 4xx, never a 5xx, and a list naming an unknown user is refused whole (rule 9), however long.
Each answer's time is reported; one slower than the run's request timeout fails with that reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from openapi.document import Operation
from openapi.families import Action

from ..client import TransportFailure
from ..exchange import Exchange
from .context import Context, succeeded
from .outcomes import CheckFailed, Observation, expect
from .registry import requirement
from .standing import MEMBER, Standing, read_standing, stand, word

SIZES = (1_001, 10_000)
State = str | None

#: What each write does to a listed user, by state (rules 8, 13 and 51), in the scenarios' words
#: (``standing.MEMBER``); the actions whose id lists are probed.
EFFECTS: dict[Action, tuple[State, Callable[[State], State]]] = {
    "invite": (None, lambda state: MEMBER if state in ("requested", MEMBER) else "invited"),
    "remove_invitation": ("invited", lambda state: None if state == "invited" else state),
    "join": (None, lambda state: MEMBER),
}


def id_lists(operation: Operation) -> list[str]:
    """The body fields of `operation` that are lists of integers (ids), under any media type."""
    spec = operation.spec
    found: dict[str, None] = {}
    for media_type in operation.media_types:
        for name, prop in operation.request_schema(media_type).get("properties", {}).items():
            schema = spec.resolve(prop)
            items = spec.resolve(schema.get("items", {}))
            if (
                schema.get("type") == "array"
                and items.get("type") == "integer"
                and not schema.get("readOnly")
            ):
                found[name] = None
    return list(found)


class LongListProbe:
    """One write's id list, sent long to a fresh resource per size."""

    def __init__(self, ctx: Context, action: Action, field: str) -> None:
        self.ctx = ctx
        self.action = action
        self.field = field
        self.operation = ctx.op(action)
        self.listed = list(dict.fromkeys(ctx.target.others))
        self.timings: list[str] = []
        self.accepted: dict[int, bool] = {}
        """Size → whether a list of known ids that long was accepted."""

    @property
    def label(self) -> str:
        return f"{self.operation.method} {self.operation.path.rsplit('/', 2)[-2]} with `{self.field}`"

    def send(self, resource: int, ids: list[int], what: str) -> Exchange:
        ctx = self.ctx
        try:
            exchange = ctx.call(self.action, ctx.manager, resource, json_body={self.field: ids})
        except TransportFailure as failure:
            timeout = ctx.client.timeout
            sent = failure.exchange
            if sent.error and "timeout" in sent.error.lower():
                reason = f"no answer within the run's request timeout ({timeout:g} s)"
            else:
                reason = f"no answer ({sent.error})"
            raise CheckFailed(
                f"{self.label} and {what}: {reason} after {sent.elapsed:.1f} s; answer long lists in time, "
                "or refuse them at once with a 4xx (rule 29)",
                [sent],
            ) from failure
        self.timings.append(f"{what}: {exchange.status} in {exchange.elapsed:.3f} s")
        expect(
            exchange.status is not None and exchange.status < 500,
            f"{self.label} and {what} answered {exchange.status}; a list the server does not take is "
            "refused with a 4xx (400 or 413), never a 5xx (rule 29)",
            exchange,
        )
        return exchange

    def probe(self, size: int) -> None:
        ctx = self.ctx
        before_state, effect = EFFECTS[self.action]
        everyone = {user: before_state if user in self.listed else None for user in ctx.target.others}
        resource, before = stand(ctx, everyone)
        unknown = self.unknown_ids(size - 1)
        first = self.listed[0]
        refused = self.send(resource, [first.id, *unknown], f"{size:,} ids ({first} then unknown ids)")
        self.refused(
            resource,
            before,
            refused,
            f"{size:,} ids naming unknown users",
            "a list naming a user who does not exist is refused whole with a 4xx (rules 9 and 29)",
        )
        known = list(itertools.islice(itertools.cycle(user.id for user in self.listed), size))
        answer = self.send(resource, known, f"{size:,} ids ({len(self.listed)} known users repeated)")
        self.accepted[size] = succeeded(answer)
        if not succeeded(answer):
            why = "accept the list or refuse it with a 4xx (rule 29)"
            self.refused(resource, before, answer, f"{size:,} known ids", why)
            return
        expected = {
            user: word(ctx, effect(everyone[user])) if user in self.listed else state
            for user, state in before.statuses.items()
        }
        after = read_standing(ctx, resource, list(before.statuses))
        wrong = Standing.predicted(ctx, expected).differences(after)
        expect(
            not wrong,
            f"{self.label} and {size:,} ids ({len(self.listed)} known users repeated) answered "
            f"{answer.status}, but the users did not get what the distinct ids give (each once): "
            + "; ".join(wrong),
            answer,
        )

    def refused(self, resource: int, before: Standing, exchange: Exchange, what: str, why: str) -> None:
        """`exchange` is a 4xx, and everyone stands where they stood (all or nothing, rule 9)."""
        expect(
            exchange.status is not None and 400 <= exchange.status < 500,
            f"{self.label} and {what} answered {exchange.status}; {why}",
            exchange,
        )
        after = read_standing(self.ctx, resource, list(before.statuses))
        wrong = Standing.predicted(self.ctx, before.statuses).differences(after)
        expect(
            not wrong,
            f"{self.label}: a refused list of {what} ({exchange.status}) still changed who stands where "
            f"(all or nothing, rule 9): {'; '.join(wrong)}",
            exchange,
        )

    def unknown_ids(self, count: int) -> list[int]:
        """`count` distinct ids of no user, in a range no suite-made id reaches."""
        start = self.ctx.unknown_id()
        return list(range(start, start + count))


@requirement("VAL-LONG-LISTS")
def long_lists(ctx: Context) -> Observation:
    probes = [
        LongListProbe(ctx, action, field)
        for action in EFFECTS
        if ctx.family.has(action)
        for field in id_lists(ctx.op(action))
    ]
    for probe in probes:
        for size in SIZES:
            probe.probe(size)
    taken = accepted(probes)
    ctx.reading("id lists of 1,001 and 10,000 known ids on an event's writes", taken)
    times = "; ".join(f"{probe.label}: {', '.join(probe.timings)}" for probe in probes)
    return Observation(f"{taken}. Answer times: {times}")


def accepted(probes: list[LongListProbe]) -> str:
    """Which writes took the long lists of known ids, size by size (rule 29 leaves the limit open)."""
    parts = []
    for size in SIZES:
        taking = [probe.label for probe in probes if probe.accepted.get(size)]
        if len(taking) == len(probes):
            parts.append(f"{size:,} ids accepted by every write")
        elif taking:
            parts.append(f"{size:,} ids accepted by {', '.join(taking)}, refused with a 4xx by the others")
        else:
            parts.append(f"{size:,} ids refused with a 4xx by every write")
    return "; ".join(parts)
