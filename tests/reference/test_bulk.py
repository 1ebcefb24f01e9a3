"""Ten thousand ids in one request: accepted, applied as a whole, and refused as a whole."""

from __future__ import annotations

import subprocess

import httpx

from testkit.processes import python_module
from testkit.reference import cli_env
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, event_body


def test_ten_thousand_ids_in_one_request(reference_server_factory: ReferenceServerFactory) -> None:
    server = reference_server_factory()
    subprocess.run(
        python_module("reference_impl", "seed", "--users", "10000", "--database", server.database_url),
        env=cli_env({}), check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    manager = server.headers("bulk-manager")
    with httpx.Client(base_url=server.base_url, headers=manager, timeout=60) as client:
        event = client.post(EVENTS, json=event_body()).json()["id"]
        client.post(f"{EVENTS}{event}/subscribe/", headers=server.headers("user5"))
        ids = list(range(1, 10_001))

        refused = client.post(f"{EVENTS}{event}/invite/", json={"users": [*ids[:-1], 10**9]})
        assert refused.status_code == 400
        assert client.get(f"{EVENTS}{event}/invite/").json()["count"] == 0

        assert client.post(f"{EVENTS}{event}/invite/", json={"users": ids}).status_code == 204
        invited = client.get(f"{EVENTS}{event}/invite/", params={"limit": 100, "offset": 9_900}).json()
        assert invited["count"] == 9_999  # user5 had asked to join: accepted instead
        assert [user["id"] for user in invited["results"]][-1] == 10_000
        assert client.get(f"{EVENTS}{event}/status/", headers=server.headers("user5")).json() == {
            "status": "subscribed"
        }

        withdrawn = client.request("DELETE", f"{EVENTS}{event}/invite/", json={"users": ids})
        assert withdrawn.status_code == 204
        assert client.get(f"{EVENTS}{event}/invite/").json()["count"] == 0
        assert client.get(f"{EVENTS}{event}/subscribe/").json()["count"] == 2  # the manager and user5
