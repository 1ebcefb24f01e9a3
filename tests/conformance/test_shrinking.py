"""The profile's shrink budget: Hypothesis stops shortening a failure when it runs out, and says so."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import engine

from conformance.profiles import PROFILES
from conformance.shrinking import shrink_budget


def slow_failure(pause_s: float) -> None:
    """A test that fails on every long list, slowly, as a state machine replaying over HTTP does."""

    @settings(
        max_examples=50,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(st.integers(0, 10**6), min_size=5, max_size=40))
    def failing(values: list[int]) -> None:
        time.sleep(pause_s)
        assert sum(values) < 1000

    failing()


def test_shrinking_stops_at_the_budget_and_says_so() -> None:
    before = engine.MAX_SHRINKING_SECONDS
    with shrink_budget(1) as shrinking:
        assert engine.MAX_SHRINKING_SECONDS == 1
        started = time.perf_counter()
        with pytest.raises(AssertionError):
            slow_failure(0.1)
        took = time.perf_counter() - started
    assert shrinking.stopped_early, f"shrinking ran {took:.1f} s without reaching the 1 s budget"
    assert before == engine.MAX_SHRINKING_SECONDS


def test_a_quick_failure_shrinks_fully() -> None:
    with shrink_budget(30) as shrinking, pytest.raises(AssertionError):
        slow_failure(0.0)
    assert not shrinking.stopped_early


def test_every_profile_names_a_budget_below_hypothesis_default() -> None:
    assert all(0 < profile.shrink_seconds < engine.MAX_SHRINKING_SECONDS for profile in PROFILES.values())
