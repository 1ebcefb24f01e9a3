"""Fixtures of the conformance suite's tests: four users of the session's reference server."""

from __future__ import annotations

import pytest

from tests.conftest import ReferenceServer

USERNAMES = ("conformance-alice", "conformance-bob", "conformance-carol", "conformance-dave")


@pytest.fixture(scope="session")
def tokens(reference_server: ReferenceServer) -> list[str]:
    return [reference_server.token(name) for name in USERNAMES]
