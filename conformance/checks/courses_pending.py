"""Requirements about what only courses have, registered before their checks are written: skipped."""

from __future__ import annotations

from .context import Context
from .outcomes import CheckSkipped
from .registry import requirement

PENDING = (
    "ROLE-CREATOR-STAYS", "ROLE-CREATOR-KEPT", "ROLE-PROMOTED", "ROLE-DEMOTED", "ROLE-MANAGER-LEAVES",
    "ROLE-LISTS", "VAL-ROLE", "SUB-JOIN-ANSWER", "PUB-HIDDEN", "PUB-MEMBER-LIST-PRIVACY", "PUB-LOCK-SCREEN",
    "PUB-INFO-MANAGER-VIEWS", "READ-HIDE-MEMBER-COUNT", "READ-STATUSES", "TOL-HIDDEN-ANSWER",
    "TOL-CREATOR-REMOVAL", "TOL-UNIQUE-NAME", "TOL-DRAFT-CREATOR-LIST",
)  # fmt: skip


def pending(ctx: Context) -> None:
    raise CheckSkipped("this requirement's check is not written yet")


for _id in PENDING:
    requirement(_id)(pending)
