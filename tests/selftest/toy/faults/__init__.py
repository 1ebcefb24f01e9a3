"""Faulty servers: each breaks one rule of the contract, named with the requirements that must catch it.

Each fault is a small override of one part of the correct toy, registered by ``@fault`` (see
``..registry``); importing this package registers them all.
"""

from __future__ import annotations

from ..registry import FAULTS, Fault
from . import (  # noqa: F401  (each module registers its faults)
    authentication,
    courses,
    deletion,
    ids,
    invitations,
    media,
    public_access,
    reads,
    roles,
    stale_reads,
    subscriptions,
    validation,
)

#: Each (fault, family) a conformance run must catch, as pytest parameters.
FAULT_CASES = [(name, family) for name, fault in sorted(FAULTS.items()) for family in fault.families]

__all__ = ["FAULTS", "FAULT_CASES", "Fault"]
