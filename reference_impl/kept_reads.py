"""The access gate's read of an invitation, kept between requests and verified by the change itself.

On PostgreSQL an invitation took two round trips: the gate's read of the caller and the resource, then
the invitation's function (``invitations``). Under load the read and its wake-ups were an eighth of the
request's CPU time, in the workers and in PostgreSQL alike (``bench/postgres.md``). For an invitation
whose access decision reads nothing but those two rows (an event's or a group's: the manager column,
the resource's attributes), the gate keeps the rows it decided on, with their row versions
(PostgreSQL's ``xmin``: the transaction that wrote the row, new with every update and every
re-insertion), and the next invitation by the same caller to the same resource is decided on them
without a read. The invitation's function then checks under the resource's lock, before it changes
anything, that both rows are still those versions. When one is not (the resource deleted or changed,
the caller changed or gone), it changes nothing; the request forgets the kept rows and the gate decides
again on rows read afresh (``RequestContext.decide_again``), which gives the same answer as if nothing
had been kept. So a kept row saves a read, never a decision: every invitation is decided on the rows its
change finds.

``xmin`` is 32 bits, so a version could come back after some four billion transactions; a kept read
would have to outlive them, in a cache that holds a few thousand.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Row

#: Reads kept per worker: the most recently used ones.
KEPT_READS = 4096

Key = tuple[int, str, int]  # (caller id, resource kind, resource id)


@dataclass(frozen=True, slots=True)
class RowVersions:
    """The ``xmin`` of the caller's row and of the resource's row, as the gate read them."""

    caller: int
    resource: int


@dataclass(frozen=True, slots=True)
class GateRead:
    caller: Row
    resource: Row
    versions: RowVersions


class KeptReads:
    """The gate's reads by (caller, resource), the most recently used first to stay."""

    def __init__(self, size: int = KEPT_READS) -> None:
        self._size = size
        self._reads: OrderedDict[Key, GateRead] = OrderedDict()

    def get(self, key: Key) -> GateRead | None:
        read = self._reads.get(key)
        if read is not None:
            self._reads.move_to_end(key)
        return read

    def keep(self, key: Key, read: GateRead) -> None:
        self._reads[key] = read
        self._reads.move_to_end(key)
        if len(self._reads) > self._size:
            self._reads.popitem(last=False)

    def forget(self, key: Key) -> None:
        self._reads.pop(key, None)

    def __len__(self) -> int:
        return len(self._reads)
