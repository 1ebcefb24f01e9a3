"""The race oracle itself: the contract's transitions, and the idempotence the duplicate requests rely on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.scale.model import MOVES, Move, Status, apply, replay

STATUSES: list[Status] = [None, "invited", "requested", "subscribed"]


@given(st.sampled_from(STATUSES), st.sampled_from(MOVES), st.booleans())
def test_every_operation_is_idempotent(status: Status, move: Move, private: bool) -> None:
    once = apply(status, move, private=private)
    assert apply(once, move, private=private) == once


def test_contract_transitions() -> None:
    assert replay(["join"], private=True) == "requested"
    assert replay(["join"], private=False) == "subscribed"
    assert replay(["join", "invite"], private=True) == "subscribed"  # invite accepts a pending request
    assert replay(["invite", "join"], private=True) == "subscribed"  # join accepts an invitation
    assert replay(["invite", "remove_invitation"], private=True) is None
    assert replay(["join", "remove_invitation"], private=False) == "subscribed"  # invitations only
    assert replay(["invite", "leave"], private=True) is None  # leaving declines an invitation
    for state in (["invite"], ["join"], ["invite", "join"]):  # the manager removes any relation
        assert replay([*state, "remove"], private=True) is None
