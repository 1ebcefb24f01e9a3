"""Faults of resource ids: an unknown id answered 403, odd ids answered 500."""

from __future__ import annotations

from ..endpoints import MAX_ID, FamilyEndpoints
from ..errors import Refusal, ServerFault
from ..registry import fault
from .common import ALL


@fault(
    "unknown-event-403",
    "an unknown event id answers 403 instead of 404",
    breaks={"EXIST-UNKNOWN"},
    also={"SPEC-STATUS", "DEL-GONE", "DEL-UNKNOWN"},  # a deleted or unknown resource answers 403
)
class UnknownResource403(FamilyEndpoints):
    def unknown_resource(self) -> Refusal:
        return Refusal(403, "Not found.")


@fault(
    "nonnumeric-id-500",
    "a non-numeric event id answers 500",
    breaks={"EXIST-NONNUMERIC"},
    also={"SPEC-NO-5XX", "DEL-UNKNOWN"},
    families=ALL,
)
class NonnumericIdCrash(FamilyEndpoints):
    def resource_id(self, raw: str) -> int:
        if not (raw.isascii() and raw.isdigit()):
            raise ServerFault
        return super().resource_id(raw)


@fault(
    "overflow-id-500",
    "an event id beyond 64 bits answers 500",
    breaks={"EXIST-OVERFLOW"},
    also={"SPEC-NO-5XX", "DEL-UNKNOWN"},
)
class OverflowIdCrash(FamilyEndpoints):
    def resource_id(self, raw: str) -> int:
        if raw.isascii() and raw.isdigit() and int(raw) > MAX_ID:
            raise ServerFault
        return super().resource_id(raw)
