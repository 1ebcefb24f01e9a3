"""The contract's membership rules as a pure function: the oracle the races are checked against."""

from __future__ import annotations

from typing import Literal

Status = Literal["invited", "requested", "subscribed"] | None
Move = Literal["invite", "remove_invitation", "join", "leave", "remove"]
MOVES: tuple[Move, ...] = ("invite", "remove_invitation", "join", "leave", "remove")


def apply(status: Status, move: Move, *, private: bool) -> Status:
    """The status of one (event, user) pair after ``move``.

    invite/remove_invitation are the manager's POST/DELETE on /invite/ naming the user; join/leave are the
    user's own POST/DELETE on /subscribe/; remove is the manager's DELETE /subscribe/?user=ID, which
    ends the user's relation whatever it is, as leaving does. Every move is idempotent: applying
    it twice in a row gives the same status as once, which is what lets the tests send duplicates
    concurrently.
    """
    if move == "invite":
        return "subscribed" if status in ("requested", "subscribed") else "invited"
    if move == "remove_invitation":
        return None if status == "invited" else status
    if move == "join":
        if status in ("subscribed", "invited") or not private:
            return "subscribed"
        return "requested"
    return None  # leave, remove


def replay(moves: list[Move], *, private: bool) -> Status:
    status: Status = None
    for move in moves:
        status = apply(status, move, private=private)
    return status
