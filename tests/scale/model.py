"""The contract's membership rules as a pure function: the oracle the races are checked against."""

from __future__ import annotations

from typing import Literal

Status = Literal["invited", "requested", "subscribed"] | None
Operation = Literal["invite", "withdraw", "join", "leave", "remove"]
OPERATIONS: tuple[Operation, ...] = ("invite", "withdraw", "join", "leave", "remove")


def apply(status: Status, operation: Operation, *, private: bool) -> Status:
    """The status of one (event, user) pair after ``operation``.

    invite/withdraw are the manager's POST/DELETE on /invite/ naming the user; join/leave are the
    user's own POST/DELETE on /subscribe/; remove is the manager's DELETE /subscribe/?user=ID, which
    ends the user's relation whatever it is, as leaving does. Every operation is idempotent: applying
    it twice in a row gives the same status as once, which is what lets the tests send duplicates
    concurrently.
    """
    if operation == "invite":
        return "subscribed" if status in ("requested", "subscribed") else "invited"
    if operation == "withdraw":
        return None if status == "invited" else status
    if operation == "join":
        if status in ("subscribed", "invited") or not private:
            return "subscribed"
        return "requested"
    return None  # leave, remove


def replay(operations: list[Operation], *, private: bool) -> Status:
    status: Status = None
    for operation in operations:
        status = apply(status, operation, private=private)
    return status
