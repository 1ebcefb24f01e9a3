"""The few API calls the scale tests make, over one shared httpx.AsyncClient."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from testkit.events import bearer, event_body
from tests.scale.model import Move, Status

EVENTS = "/api/v2/event/"
LISTS = {"invited": "invite", "requested": "request_subscribe", "subscribed": "subscribe"}


def client_limits(connections: int) -> httpx.Limits:
    """A pool of ``connections`` that drops idle ones well before the server's keep-alive timeout (5 s).

    Otherwise a request can go out on a connection the server is closing at that moment, and
    fail with a ReadError that says nothing about the server.
    """
    return httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=1.0
    )


@dataclass
class Api:
    client: httpx.AsyncClient

    async def create_event(self, token: str, *, private: bool) -> int:
        response = await self.client.post(EVENTS, json=event_body(private=private), headers=bearer(token))
        assert response.status_code == 201, f"creating an event: {response.status_code} {response.text}"
        return int(response.json()["id"])

    async def operate(
        self, move: Move, event: int, user: int, *, manager: str, user_token: str
    ) -> httpx.Response:
        """One contract move on the (event, user) pair; see model.apply for what each means."""
        if move == "invite":
            return await self.client.post(
                f"{EVENTS}{event}/invite/", json={"users": [user]}, headers=bearer(manager)
            )
        if move == "remove_invitation":
            return await self.client.request(
                "DELETE", f"{EVENTS}{event}/invite/", json={"users": [user]}, headers=bearer(manager)
            )
        if move == "join":
            return await self.client.post(f"{EVENTS}{event}/subscribe/", headers=bearer(user_token))
        if move == "remove":
            return await self.client.delete(
                f"{EVENTS}{event}/subscribe/", params={"user": user}, headers=bearer(manager)
            )
        return await self.client.delete(f"{EVENTS}{event}/subscribe/", headers=bearer(user_token))

    async def status(self, event: int, token: str) -> Status:
        response = await self.client.get(f"{EVENTS}{event}/status/", headers=bearer(token))
        assert response.status_code == 200, f"status of event {event}: {response.status_code} {response.text}"
        return response.json()["status"]

    async def members(self, event: int, status: str, token: str, *, limit: int = 50) -> tuple[int, list[int]]:
        """The list's ``count`` and every user id in it, following ``next`` links page by page."""
        ids: list[int] = []
        count = -1
        url: str | None = f"{EVENTS}{event}/{LISTS[status]}/?limit={limit}"
        while url:
            response = await self.client.get(url, headers=bearer(token))
            assert response.status_code == 200, f"GET {url}: {response.status_code} {response.text}"
            page = response.json()
            ids.extend(int(user["id"]) for user in page["results"])
            count = int(page["count"])
            url = page["next"]
        return count, ids
