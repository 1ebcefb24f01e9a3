"""A small client of the contract, speaking to a toy server as its users do."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from .servers import TOKENS

UNKNOWN_USER = 987_654_321
UNKNOWN_EVENT = 987_654_321


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class WaitsOutThrottling(httpx.BaseTransport):
    """Sends a request again while the answer is 429 (the ``throttled`` variant says ``Retry-After: 0``),
    as a patient client does: the probes judge the answer after."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(5):
            response = self.inner.handle_request(request)
            if response.status_code != 429:
                break
            response.read()
            response.close()
        return response

    def close(self) -> None:
        self.inner.close()


class ToyClient:
    """Users 0..3 hold ``TOKENS``; user 0 creates the events and so manages them."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10.0, transport=WaitsOutThrottling())
        self.ids = [self.http.get("/api/v2/user/me/", headers=bearer(t)).json()["id"] for t in TOKENS]
        self.courses_made = 0

    def close(self) -> None:
        self.http.close()

    def as_user(self, who: int) -> dict[str, str]:
        return bearer(TOKENS[who])

    def new_event(self, privacy: str = "private") -> int:
        body = {
            "name": f"Toy {privacy} event",
            "privacy": privacy,
            "start_date": "2030-01-01T10:00:00Z",
            "end_date": "2030-01-01T12:00:00Z",
            "recurring": "never",
            "location": "virtual",
        }
        response = self.http.post("/api/v2/event/", json=body, headers=self.as_user(0))
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def invite(
        self,
        event: int | str,
        users: object,
        *,
        who: int = 0,
        headers: Mapping[str, str] | None = None,
        method: str = "POST",
    ) -> httpx.Response:
        return self.http.request(
            method,
            f"/api/v2/event/{event}/invite/",
            json={"users": users},
            headers=self.as_user(who) if headers is None else headers,
        )

    def send(
        self,
        method: str,
        path: str,
        who: int | None = 0,
        headers: Mapping[str, str] | None = None,
        **kwargs: object,
    ) -> httpx.Response:
        sent = {**({} if who is None else self.as_user(who)), **(headers or {})}
        return self.http.request(method, path, headers=sent, **kwargs)  # type: ignore[arg-type]

    def listed(self, event: int, what: str = "invite", limit: int | None = None) -> list[object]:
        """Every id on every page of a list, following ``next``."""
        url: str | None = f"/api/v2/event/{event}/{what}/" + (f"?limit={limit}" if limit else "")
        ids: list[object] = []
        while url:
            page = self.http.get(url, headers=self.as_user(0))
            assert page.status_code == 200, page.text
            ids += [user["id"] for user in page.json()["results"]]
            url = page.json()["next"]
        return ids

    def new_course(self, privacy: str = "open", **fields: object) -> int:
        """A course user 0 creates (and so is its creator), of this ``privacy`` (``""``: a draft)."""
        self.courses_made += 1
        body = {"name": f"Toy course {self.courses_made}", "type": "self-paced", "privacy": privacy, **fields}
        response = self.http.post("/api/v2/course/", json=body, headers=self.as_user(0))
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def course_status(self, course: int, who: int) -> object:
        """The user's state for the course, or the answer's status when it is not 200 (a hidden course)."""
        response = self.http.get(f"/api/v2/course/{course}/status/", headers=self.as_user(who))
        return response.json()["status"] if response.status_code == 200 else response.status_code

    def status(self, event: int, who: int) -> object:
        return self.http.get(f"/api/v2/event/{event}/status/", headers=self.as_user(who)).json()["status"]

    def subscribe(self, event: int, who: int, method: str = "POST") -> None:
        response = self.http.request(method, f"/api/v2/event/{event}/subscribe/", headers=self.as_user(who))
        assert response.status_code == 204, response.text
