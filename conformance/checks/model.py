"""MODEL-STATEFUL: a Hypothesis state machine interleaving the lifecycle operations against a model.

The model is, per resource of the checked family (an event, a group), user → status (null, invited,
requested, subscribed); families whose POST subscribe takes `users` add the manager's direct
subscription. After every step the server's view is read back (each user's own status, and the three
lists by the manager) and compared. The member list of a private resource is the subscribers'
(contract rule 6): once the manager has left, the manager's read may be refused (403, the literal
reading) or answered (200, the lenient one), and the list is then read by a subscriber.
"""

from __future__ import annotations

import random
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ..exchange import Exchange
from ..shrinking import shrink_budget
from ..target import PrerequisiteFailed, User
from .context import Context, succeeded
from .outcomes import CheckFailed, CheckSkipped
from .registry import requirement

LISTS = {
    "invited": "invited",
    "requested": "requested",
    "subscribed": "members",
}


NOISE = {"state.server_agrees()", "state.teardown()"}


class Divergence(AssertionError):
    """The server's state differs from the model's."""


def build_machine(ctx: Context, runs: list[int]) -> type[RuleBasedStateMachine]:
    users = ctx.target.users
    manager = ctx.target.manager
    removal_documented = "user" in ctx.op("leave").query_parameters
    direct_documented = ctx.family.documents("join.users")
    # Hypothesis leans towards the first element of a sample; a seeded shuffle spreads that lean
    # over the users from run to run instead of always favouring the manager.
    order = list(users)
    random.Random(ctx.seed).shuffle(order)
    users_st = st.sampled_from(order)
    ids_st = st.lists(
        st.sampled_from([user.id for user in order]), min_size=1, max_size=len(users), unique=True
    )

    # The steps keep their names (create_event, withdraw, subscribe, …): a failing sequence shows them, and
    # Hypothesis draws rules in the order of their names, so renaming one changes the runs of every seed.
    class InvitationMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.resource = 0
            self.private = True
            self.model: dict[int, str | None] = {}

        @initialize(private=st.booleans())
        def create_event(self, private: bool) -> None:
            runs.append(len(ctx.client.exchanges))
            self.private = private
            try:
                self.resource = ctx.fresh_resource("private" if private else "public")
            except PrerequisiteFailed as exc:
                raise CheckSkipped(f"prerequisite failed: {exc}", exc.exchanges) from exc
            self.model = {user.id: None for user in users}
            self.model[manager.id] = "subscribed"

        def expect_success(self, exchange: Exchange, what: str) -> None:
            # Which 2xx is the verdict of INV-204 and SPEC-STATUS; the model is about the state.
            if not succeeded(exchange):
                raise Divergence(f"{what} answered {exchange.status}, expected a success (2xx)")

        @rule(ids=ids_st)
        def invite(self, ids: list[int]) -> None:
            self.expect_success(ctx.invite(self.resource, ids), f"POST invite {ids} by the manager")
            for user_id in ids:
                current = self.model[user_id]
                self.model[user_id] = "subscribed" if current in ("requested", "subscribed") else "invited"

        @rule(ids=ids_st, user=users_st)
        def invite_by_non_manager(self, ids: list[int], user: User) -> None:
            if user.id == manager.id:
                return
            exchange = ctx.invite(self.resource, ids, user=user)
            if exchange.status != 403:
                raise Divergence(f"POST invite by {user} answered {exchange.status}, expected 403")

        @rule(ids=ids_st)
        def withdraw(self, ids: list[int]) -> None:
            self.expect_success(
                ctx.remove_invitation(self.resource, ids), f"DELETE invite {ids} by the manager"
            )
            for user_id in ids:
                if self.model[user_id] == "invited":
                    self.model[user_id] = None

        @rule(user=users_st)
        def subscribe(self, user: User) -> None:
            self.expect_success(ctx.join(self.resource, user), f"POST subscribe by {user}")
            current = self.model[user.id]
            if not self.private or current in ("invited", "subscribed"):
                self.model[user.id] = "subscribed"
            elif user.id == manager.id and current is None:
                # The contract does not say whether the manager who left a private event rejoins it
                # directly or by request; both are accepted.
                self.model[user.id] = self.observe(user, ("subscribed", "requested"), "rejoined as manager")
            else:
                self.model[user.id] = "requested"

        def observe(self, user: User, allowed: tuple[str | None, ...], what: str) -> str | None:
            observed = ctx.status(self.resource, user)
            if observed not in allowed:
                raise Divergence(f"{user} {what} and reads {observed!r}, expected one of {allowed}")
            return observed

        def remove(self, user: User) -> None:
            """The manager ends the user's relation, whatever it is (contract rule 18)."""
            operation = ctx.op("leave")
            exchange = ctx.client.request(
                operation.method, operation.url(self.resource), token=manager.token, params={"user": user.id}
            )
            self.expect_success(exchange, f"DELETE subscribe/?user={user.id} by the manager")
            self.model[user.id] = None

        @rule(user=users_st, by_manager=st.sampled_from([False, False, True]))
        def unsubscribe(self, user: User, by_manager: bool) -> None:
            """The user leaves; or, one time in three, the manager removes the user with `?user=`."""
            if by_manager and removal_documented:
                self.remove(user)
                return
            self.expect_success(ctx.leave(self.resource, user), f"DELETE subscribe by {user}")
            if self.model[user.id] == "invited":
                # Declining is left open (TOL-DECLINE): removed or still invited are both accepted.
                self.model[user.id] = self.observe(user, (None, "invited"), "declined an invitation")
            else:
                self.model[user.id] = None

        @invariant()
        def server_agrees(self) -> None:
            if not self.resource:
                return
            problems = []
            for user in users:
                observed = ctx.status(self.resource, user)
                if observed != self.model[user.id]:
                    problems.append(f"{user} reads {observed!r}, model says {self.model[user.id]!r}")
            for state, operation_id in LISTS.items():
                reader = self.list_reader(operation_id)
                if reader is None:
                    continue
                listed = sorted(ctx.list_ids(operation_id, self.resource, reader))
                expected = sorted(uid for uid, status in self.model.items() if status == state)
                if listed != expected:
                    problems.append(f"{operation_id} lists {listed}, model says {expected}")
            if problems:
                raise Divergence("; ".join(problems))

        def list_reader(self, operation_id: str) -> User | None:
            """Who reads the list: the manager, unless the manager may be refused the private member list.

            None when nobody the model knows may read it (a private event without subscribers, and the
            manager refused): the statuses read above still cover every user.
            """
            if (
                not self.private
                or operation_id != LISTS["subscribed"]
                or self.model[manager.id] == "subscribed"
            ):
                return manager
            operation = ctx.op(operation_id)
            exchange = ctx.client.request("GET", operation.url(self.resource), token=manager.token)
            if exchange.status == 200:
                return manager
            if exchange.status != 403:
                raise Divergence(
                    f"GET subscribe on the private event by its manager, who left it, answered "
                    f"{exchange.status}; expected 403 (not a subscriber) or 200 (the lenient reading)"
                )
            return next((user for user in users if self.model[user.id] == "subscribed"), None)

    if not direct_documented:
        return InvitationMachine

    class DirectSubscriptionMachine(InvitationMachine):
        """A family whose POST subscribe takes `users` adds the manager's direct subscription."""

        @rule(ids=ids_st)
        def subscribe_directly(self, ids: list[int]) -> None:
            """The manager subscribes the listed users, whatever their state (contract rule 51)."""
            exchange = ctx.call("join", manager, self.resource, json_body={"users": ids})
            self.expect_success(exchange, f"POST subscribe with users {ids} by the manager")
            for user_id in ids:
                self.model[user_id] = "subscribed"

    return DirectSubscriptionMachine


@requirement("MODEL-STATEFUL")
def stateful(ctx: Context) -> None:
    runs: list[int] = []
    machine = build_machine(ctx, runs)
    hypothesis.seed(ctx.seed)(machine)
    machine_settings = settings(
        max_examples=ctx.profile.stateful_examples,
        stateful_step_count=ctx.profile.stateful_steps,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    with shrink_budget(ctx.profile.shrink_seconds) as shrinking:
        try:
            run_state_machine_as_test(machine, settings=machine_settings)
        except (Divergence, CheckFailed) as error:
            last_run = ctx.client.exchanges[runs[-1] :] if runs else []
            steps = [
                line
                for note in getattr(error, "__notes__", [])
                for line in note.splitlines()
                if line.startswith("state.") and line not in NOISE
            ]
            message = str(error) if isinstance(error, Divergence) else error.message
            found = (
                f"sequence shortened for {shrinking.seconds} s, the profile's budget"
                if shrinking.stopped_early
                else "shortest sequence found"
            )
            raise CheckFailed(
                f"the server diverged from the contract's model: {message}\n"
                f"{found} (each step followed by reading every status and list):\n  " + "\n  ".join(steps),
                mutating(last_run),
            ) from None


def mutating(exchanges: list[Exchange]) -> list[Any]:
    """The sequence that led there (every write) plus the last reads that showed the divergence."""
    writes = [e for e in exchanges if e.method != "GET"]
    tail = [e for e in exchanges[-8:] if e.method == "GET"]
    return writes + tail
