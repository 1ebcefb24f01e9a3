"""How a check ends: passing (return None), observing (MAY), failing or skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..exchange import Exchange


@dataclass
class Observation:
    """What a MAY check saw (verdict "observed"), or a note on a pass."""

    text: str
    literal: bool = False
    """The text names families itself; otherwise it is written for events and read for the family."""


class CheckFailed(AssertionError):
    """The requirement does not hold; `exchanges` are the requests that show it."""

    def __init__(self, message: str, exchanges: list[Exchange] | None = None, literal: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.exchanges = exchanges
        self.literal = literal


class CheckSkipped(Exception):
    """The requirement could not be checked (e.g. a prerequisite failed); never shown as passed."""

    def __init__(self, reason: str, exchanges: list[Exchange] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.exchanges = exchanges or []


def expect(condition: bool, message: str, *exchanges: Exchange, literal: bool = False) -> None:
    """Fail the current check with `message` (and the exchanges that show it) unless `condition`;
    `literal`: the message names families itself (see Observation)."""
    if not condition:
        raise CheckFailed(message, list(exchanges) or None, literal)


def request_line(exchange: Exchange) -> str:
    return f"{exchange.method} {exchange.url}"


def expect_every(
    attempts: list[Exchange],
    status: int,
    what: str,
    advice: str,
    describe: Callable[[Exchange], str] = request_line,
) -> None:
    """Fail unless each of `attempts` answered `status`; the message names (up to eight of) the others."""
    wrong = [exchange for exchange in attempts if exchange.status != status]
    expect(
        not wrong,
        f"{len(wrong)} of {len(attempts)} {what} did not answer {status}: "
        + ", ".join(f"{describe(e)} → {e.status}" for e in wrong[:8])
        + f". {advice}",
        *wrong[:8],
    )
