"""MODEL-STATEFUL: a Hypothesis state machine interleaving the lifecycle operations against a model.

The model is, per resource of the checked family (an event, a group, a course), user → state, in the
family's words (``ctx.states``: null, invited, requested, subscribed; a course's joined, manager,
creator); families whose POST subscribe takes `users` add the manager's direct subscription, families
with a role operation (courses) add role changes and a promoted manager's own invitations and removals.
After every step the server's view is read back (each user's own status, and the three lists by the
manager) and compared. The member list of a private resource is the subscribers' (contract rule 6):
once the manager has left, the manager's read may be refused (403, the literal reading) or answered
(200, the lenient one), and the list is then read by a subscriber. A creator who may not leave (a
course's, contract rule 62) is refused (403) and stays; a course's creator is never named by a role
change (ROLE-CREATOR-KEPT checks that) and a refused removal of the creator leaves it as it was
(400, 403 or 204, reading 69).
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
from .generation import HYPOTHESIS_TURN
from .outcomes import CheckFailed, CheckSkipped
from .registry import requirement

ROLE_LISTS = ("managers", "joined", "unjoined")
NOISE = {"state.server_agrees()", "state.teardown()"}


class Divergence(AssertionError):
    """The server's state differs from the model's."""


def build_machine(ctx: Context, runs: list[int]) -> type[RuleBasedStateMachine]:
    users = ctx.target.users
    manager = ctx.target.manager
    removal_documented = "user" in ctx.op("leave").query_parameters
    direct_documented = ctx.family.documents("join.users")
    states = ctx.states
    joined, invited, requested = ctx.member_state, ctx.invited_state, ctx.requested_state
    members = states.members or (joined,)
    creator_stays = not ctx.creator_may_leave()
    lists = {invited: "invited", requested: "requested"}
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
            self.model[manager.id] = ctx.creator_state

        def expect_success(self, exchange: Exchange, what: str) -> None:
            # Which 2xx is the verdict of INV-204 and SPEC-STATUS; the model is about the state.
            if not succeeded(exchange):
                raise Divergence(f"{what} answered {exchange.status}, expected a success (2xx)")

        def manages(self, user: User) -> bool:
            """The creator, or a user in the manager state (a course's promoted manager)."""
            return user.id == manager.id or (
                states.manager is not None and self.model[user.id] == states.manager
            )

        def invited(self, ids: list[int]) -> None:
            """Inviting accepts a request, leaves a member as they are and invites anyone else (rule 8)."""
            for user_id in ids:
                current = self.model[user_id]
                if current == requested:
                    self.model[user_id] = joined
                elif current not in members:
                    self.model[user_id] = invited

        @rule(ids=ids_st)
        def invite(self, ids: list[int]) -> None:
            self.expect_success(ctx.invite(self.resource, ids), f"POST invite {ids} by the manager")
            self.invited(ids)

        @rule(ids=ids_st, user=users_st)
        def invite_by_non_manager(self, ids: list[int], user: User) -> None:
            """Another user invites: refused, unless they manage it (a course's promoted manager)."""
            if user.id == manager.id:
                return
            exchange = ctx.invite(self.resource, ids, user=user)
            if self.manages(user):
                self.expect_success(exchange, f"POST invite {ids} by the manager {user}")
                self.invited(ids)
            elif exchange.status != 403:
                raise Divergence(f"POST invite by {user} answered {exchange.status}, expected 403")

        @rule(ids=ids_st)
        def withdraw(self, ids: list[int]) -> None:
            self.expect_success(
                ctx.remove_invitation(self.resource, ids), f"DELETE invite {ids} by the manager"
            )
            for user_id in ids:
                if self.model[user_id] == invited:
                    self.model[user_id] = None

        @rule(user=users_st)
        def subscribe(self, user: User) -> None:
            self.expect_success(ctx.join(self.resource, user), f"POST subscribe by {user}")
            current = self.model[user.id]
            if current in members:
                return
            if not self.private or current == invited:
                self.model[user.id] = joined
            elif user.id == manager.id and current is None:
                # The contract does not say whether the manager who left a private event rejoins it
                # directly or by request; both are accepted.
                self.model[user.id] = self.observe(user, (joined, requested), "rejoined as manager")
            else:
                self.model[user.id] = requested

        def observe(self, user: User, allowed: tuple[str | None, ...], what: str) -> str | None:
            observed = ctx.status(self.resource, user)
            if observed not in allowed:
                raise Divergence(f"{user} {what} and reads {observed!r}, expected one of {allowed}")
            return observed

        def remove(self, user: User, by: User = manager) -> None:
            """The manager ends the user's relation, whatever it is (contract rule 18); a creator who may not
            leave may not be removed either (rule 66: 400, 403 or 204, nothing changed, reading 69)."""
            exchange = ctx.remove(self.resource, user.id, by)
            what = f"DELETE subscribe/?user={user.id} by the manager {by}"
            if creator_stays and user.id == manager.id:
                if exchange.status not in (204, 400, 403):
                    raise Divergence(
                        f"{what} (its creator) answered {exchange.status}, expected 400, 403 or 204"
                    )
                return
            self.expect_success(exchange, what)
            self.model[user.id] = None

        @rule(user=users_st, by_manager=st.sampled_from([False, False, True]))
        def unsubscribe(self, user: User, by_manager: bool) -> None:
            """The user leaves; or, one time in three, the manager removes the user with `?user=`."""
            if by_manager and removal_documented:
                self.remove(user)
                return
            exchange = ctx.leave(self.resource, user)
            if creator_stays and user.id == manager.id:
                if exchange.status != 403:
                    raise Divergence(
                        f"DELETE subscribe by the creator answered {exchange.status}, expected 403"
                    )
                return
            self.expect_success(exchange, f"DELETE subscribe by {user}")
            if self.model[user.id] == invited:
                # Declining is left open (TOL-DECLINE): removed or still invited are both accepted.
                self.model[user.id] = self.observe(user, (None, invited), "declined an invitation")
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
            expected_lists = {
                operation_id: [uid for uid, status in self.model.items() if status == state]
                for state, operation_id in lists.items()
            }
            expected_lists["members"] = [uid for uid, status in self.model.items() if status in states.listed]
            for operation_id, wanted in expected_lists.items():
                reader = self.list_reader(operation_id)
                if reader is None:
                    continue
                listed = sorted(ctx.list_ids(operation_id, self.resource, reader))
                expected = sorted(wanted)
                if listed != expected:
                    problems.append(f"{operation_id} lists {listed}, model says {expected}")
            if problems:
                raise Divergence("; ".join(problems))

        def list_reader(self, operation_id: str) -> User | None:
            """Who reads the list: the manager, unless the manager may be refused the private member list.

            None when nobody the model knows may read it (a private event without subscribers, and the
            manager refused): the statuses read above still cover every user.
            """
            if not self.private or operation_id != "members" or self.model[manager.id] in members:
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
            return next((user for user in users if self.model[user.id] in members), None)

    if ctx.family.has("role") and states.manager is not None:
        return role_machine(ctx, InvitationMachine)
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
                self.model[user_id] = joined

    return DirectSubscriptionMachine


def role_machine(ctx: Context, machine: type[Any]) -> type[RuleBasedStateMachine]:
    """A family with a role operation (courses) adds the role changes, by the creator or by another user
    (allowed to a promoted manager only), and a promoted manager's removals; the creator is never named."""
    others = [user for user in ctx.target.users if user.id != ctx.manager.id]
    random.Random(ctx.seed).shuffle(others)
    states = ctx.states
    lists = [name for name in ROLE_LISTS if ctx.family.documents(f"role.{name}")]
    effect = {"managers": states.manager, "joined": ctx.member_state, "unjoined": None}
    others_st = st.sampled_from(others)
    callers_st = st.sampled_from([ctx.manager, *others])
    ids_st = st.lists(
        st.sampled_from([user.id for user in others]), min_size=1, max_size=len(others), unique=True
    )

    class RoleMachine(machine):  # type: ignore[misc]
        """The course's roles: `managers`, `joined`, `unjoined` (contract rules 57, 63, 64)."""

        @rule(caller=callers_st, role=st.sampled_from(lists), ids=ids_st)
        def change_roles(self, caller: User, role: str, ids: list[int]) -> None:
            exchange = ctx.change_roles(self.resource, {role: ids}, caller)
            if not self.manages(caller):
                if exchange.status != 403:
                    raise Divergence(
                        f"POST role {role}={ids} by {caller} answered {exchange.status}, expected 403"
                    )
                return
            self.expect_success(exchange, f"POST role {role}={ids} by the manager {caller}")
            for user_id in ids:
                self.model[user_id] = effect[role]

        @rule(caller=others_st, user=others_st)
        def removal_by_other(self, caller: User, user: User) -> None:
            """A user other than the creator removes another with `?user=`: a promoted manager may."""
            if self.manages(caller):
                self.remove(user, by=caller)
                return
            exchange = ctx.remove(self.resource, user.id, caller)
            if exchange.status != 403:
                raise Divergence(
                    f"DELETE subscribe/?user={user.id} by {caller} answered {exchange.status}, expected 403"
                )

    return RoleMachine


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
        phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if ctx.profile.shrink_seconds else [])],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    with HYPOTHESIS_TURN, shrink_budget(ctx.profile.shrink_seconds) as shrinking:
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
            if not shrinking.seconds:
                found = "sequence as found, not shortened (shrink budget 0 s)"
            elif shrinking.stopped_early:
                found = f"sequence shortened for {shrinking.seconds} s, the run's budget"
            else:
                found = "shortest sequence found"
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
