"""How much generated traffic a run sends: quick for every push, full for nightly or release checks."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Profile:
    name: str
    spec_examples: int
    """Schemathesis examples per operation and generation mode."""
    stateful_examples: int
    """State machine runs (each on a fresh event)."""
    stateful_steps: int
    """Steps per state machine run."""
    shrink_seconds: int
    """How long the state machine may spend shortening a failing sequence before it reports the shortest
    found so far. The verdict is settled when the failure is found; this bounds only how short the
    evidence gets (a server that fails after every step can take minutes to shrink fully). 0: no
    shrinking; the failing sequence is reported as found."""


PROFILES = {
    "quick": Profile("quick", spec_examples=20, stateful_examples=10, stateful_steps=25, shrink_seconds=10),
    "full": Profile("full", spec_examples=100, stateful_examples=25, stateful_steps=50, shrink_seconds=60),
}


def with_shrink_seconds(profile: Profile, seconds: int | None) -> Profile:
    """``profile`` with another shrink budget (``--shrink-seconds``); None keeps the profile's own."""
    if seconds is None:
        return profile
    if seconds < 0:
        raise ValueError(f"a shrink budget is 0 seconds or more, not {seconds}")
    return replace(profile, shrink_seconds=seconds)
