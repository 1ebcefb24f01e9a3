"""A time budget for Hypothesis' shrinking of a failing state machine run.

Hypothesis shortens a failing example for up to five minutes (``MAX_SHRINKING_SECONDS`` in its engine,
which its source marks as the setting to monkeypatch). Against a server that diverges after every step,
each shrink attempt replays a sequence over HTTP, so a quick run could spend minutes on evidence after
the verdict was already settled. The profile names a shorter budget; the shortest sequence found by
then is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from hypothesis.internal.conjecture import engine
from hypothesis.reporting import with_reporter


@dataclass
class Shrinking:
    """What happened while shrinking under the budget."""

    seconds: int
    stopped_early: bool = False


@contextmanager
def shrink_budget(seconds: int) -> Iterator[Shrinking]:
    """Shrink for at most ``seconds``; Hypothesis' own notice of stopping early is kept out of the console
    (it asks the reader to report a Hypothesis bug) and recorded on the yielded `Shrinking` instead."""
    shrinking = Shrinking(seconds)

    def note(text: object) -> None:
        if "working to shrink" in str(text):
            shrinking.stopped_early = True

    previous = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = seconds
    try:
        with with_reporter(note):
            yield shrinking
    finally:
        engine.MAX_SHRINKING_SECONDS = previous
