"""Lists: {count, next, previous, results}, limit/offset, absolute links, oldest membership first."""

from __future__ import annotations

import httpx
import pytest

from tests.reference.conftest import EVENTS, Accounts, People, SpecClient


@pytest.fixture(scope="module")
def crowded(api: SpecClient, accounts: Accounts) -> tuple[int, str, list[int]]:
    """A private event with 130 invited users, in invitation order."""
    manager = "pagination-manager"
    event = api.create_event(manager)
    ids = [accounts.id(f"pagination-user-{n}") for n in range(130)]
    for start in range(0, len(ids), 50):
        assert api.invite(event, manager, ids[start : start + 50]).status_code == 204
    return event, manager, ids


def _page(api: SpecClient, url: str, manager: str) -> dict:
    response = api.get(url, user=manager)
    assert response.status_code == 200
    return response.json()


def test_default_page_is_twenty(api: SpecClient, crowded: tuple[int, str, list[int]]) -> None:
    event, manager, ids = crowded
    page = _page(api, f"{EVENTS}{event}/invite/", manager)
    assert page["count"] == 130
    assert [user["id"] for user in page["results"]] == ids[:20]
    assert page["previous"] is None
    assert page["next"] == f"{api.server.base_url}{EVENTS}{event}/invite/?limit=20&offset=20"


def test_limit_is_clamped_to_one_hundred(api: SpecClient, crowded: tuple[int, str, list[int]]) -> None:
    event, manager, ids = crowded
    page = _page(api, f"{EVENTS}{event}/invite/?limit=1000", manager)
    assert [user["id"] for user in page["results"]] == ids[:100]
    assert httpx.URL(page["next"]).params["limit"] == "100"


@pytest.mark.parametrize(("query", "expected"), [("limit=0", 20), ("limit=-3", 20), ("offset=-5", 20)])
def test_nonsense_limits_fall_back(
    api: SpecClient, crowded: tuple[int, str, list[int]], query: str, expected: int
) -> None:
    event, manager, ids = crowded
    page = _page(api, f"{EVENTS}{event}/invite/?{query}", manager)
    assert [user["id"] for user in page["results"]] == ids[:expected]


def test_following_next_visits_everyone_once(api: SpecClient, crowded: tuple[int, str, list[int]]) -> None:
    event, manager, ids = crowded
    seen: list[int] = []
    url: str | None = f"{api.server.base_url}{EVENTS}{event}/invite/?limit=7"
    pages = 0
    while url:
        page = _page(api, url, manager)
        seen += [user["id"] for user in page["results"]]
        url = page["next"]
        pages += 1
    assert seen == ids
    assert pages == 19  # ceil(130 / 7)


def test_previous_links_walk_back(api: SpecClient, crowded: tuple[int, str, list[int]]) -> None:
    event, manager, ids = crowded
    page = _page(api, f"{EVENTS}{event}/invite/?limit=30&offset=70", manager)
    assert [user["id"] for user in page["results"]] == ids[70:100]
    previous = _page(api, page["previous"], manager)
    assert [user["id"] for user in previous["results"]] == ids[40:70]
    first = _page(api, f"{EVENTS}{event}/invite/?limit=30&offset=20", manager)
    assert first["previous"] == f"{api.server.base_url}{EVENTS}{event}/invite/?limit=30"
    last = _page(api, f"{EVENTS}{event}/invite/?limit=30&offset=120", manager)
    assert last["next"] is None
    assert [user["id"] for user in last["results"]] == ids[120:]


@pytest.mark.parametrize("offset", [500, 2**63 - 1, 2**63, 10**30])
def test_offset_past_the_end_is_an_empty_page(
    api: SpecClient, crowded: tuple[int, str, list[int]], offset: int
) -> None:
    event, manager, _ = crowded
    page = _page(api, f"{EVENTS}{event}/invite/?offset={offset}&limit={10**30}", manager)
    assert page["count"] == 130
    assert page["results"] == []
    assert page["next"] is None


@pytest.mark.parametrize("query", ["limit=abc", "offset=1.5", "limit=" + "9" * 5_000])
def test_non_integer_limit_is_400(api: SpecClient, crowded: tuple[int, str, list[int]], query: str) -> None:
    event, manager, _ = crowded
    # Not through SpecClient: the spec documents no 400 for list operations yet.
    response = api.http.get(f"{EVENTS}{event}/invite/?{query}", headers=api.accounts.headers(manager))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_accepted_request_goes_to_the_end_of_the_subscribers(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    api.post(f"{EVENTS}{event}/subscribe/", user=people.early)
    api.invite(event, people.manager, [people.id(people.late)])
    api.post(f"{EVENTS}{event}/subscribe/", user=people.late)  # accepts the invitation
    api.invite(event, people.manager, [people.id(people.early)])  # accepts the older request
    subscribers = api.listed(event, "subscribe", people.manager)
    assert subscribers == [people.id(people.manager), people.id(people.late), people.id(people.early)]


def test_links_use_the_host_the_client_named(api: SpecClient, crowded: tuple[int, str, list[int]]) -> None:
    event, manager, _ = crowded
    page = api.get(f"{EVENTS}{event}/invite/?limit=5", user=manager, headers={"Host": "api.example.org:8443"})
    assert page.json()["next"] == f"http://api.example.org:8443{EVENTS}{event}/invite/?limit=5&offset=5"


@pytest.mark.parametrize("host", ["s%", "exa mple", "a/b", "x%4"])
def test_host_that_is_no_host_is_400(api: SpecClient, crowded: tuple[int, str, list[int]], host: str) -> None:
    """Links are built from Host: one that is no host (RFC 3986 §3.2.2) would put a non-URI in `next`."""
    event, manager, _ = crowded
    response = api.get(f"{EVENTS}{event}/invite/?limit=5&offset=5", user=manager, headers={"Host": host})
    assert response.status_code == 400
    assert "Host header" in response.json()["detail"]
