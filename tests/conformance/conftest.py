"""Fixtures of the conformance suite's tests: four users of the session's reference server."""

from __future__ import annotations

import pytest

from tests.conformance.cli_runs import served_families
from tests.conftest import ReferenceServer

USERNAMES = ("conformance-alice", "conformance-bob", "conformance-carol", "conformance-dave")


@pytest.fixture(scope="session")
def tokens(reference_server: ReferenceServer) -> list[str]:
    return [reference_server.token(name) for name in USERNAMES]


@pytest.fixture(scope="session")
def served(reference_server: ReferenceServer) -> list[str]:
    """The families the session's reference server serves (events and groups at least)."""
    names = served_families(reference_server.base_url)
    assert {"event", "group"} <= set(names), names
    return names
