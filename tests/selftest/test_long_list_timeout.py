"""A long list answered after the run's request timeout fails VAL-LONG-LISTS, and the report says why.

The toy's ``--slow-lists`` setting takes three seconds to write a list of more than 1,000 ids; the
suite's client here waits one second, as a run whose timeout a server exceeds.
"""

from __future__ import annotations

from conformance.client import Client
from conformance.profiles import PROFILES
from conformance.runner import Verdict, plan, run
from conformance.target import connect
from openapi.document import shipped
from openapi.families import by_name

from .servers import TOKENS, toy_server


def test_an_answer_slower_than_the_timeout_fails_with_that_reason() -> None:
    spec = shipped()
    family = by_name(spec, "event")
    with toy_server("--slow-lists", "3") as server:
        client = Client(server.base_url, timeout=1.0)
        try:
            target = connect(client, spec, list(TOKENS))
            result = run(target, PROFILES["quick"], 1, [family], plan(spec, [family], ["VAL-LONG-LISTS"]))
        finally:
            client.close()
    [outcome] = result.results
    assert outcome.verdict is Verdict.FAIL, outcome.message
    assert "1,001 ids (3 known users repeated): no answer within the run's request timeout (1 s)" in (
        outcome.message
    ), outcome.message
    assert outcome.exchanges and outcome.exchanges[-1].status is None
