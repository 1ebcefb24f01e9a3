"""Groups, the second membership family: the lifecycle of the group pages over real HTTP, on SQLite and
PostgreSQL, every answer validated against the spec (docs/contract.md, section Groups)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.reference.conftest import EVENTS, People, SpecClient, event_body

GROUPS = "/api/v2/group/"


@pytest.fixture
def groups(on_each_database: SpecClient) -> SpecClient:
    """The session's SQLite server, or a server of its own on a fresh PostgreSQL database."""
    return on_each_database


def create_group(api: SpecClient, manager: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Group of {manager}", "privacy": "private", **fields}
    response = api.post(GROUPS, user=manager, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def status(api: SpecClient, group: int, user: str) -> str | None:
    response = api.get(f"{GROUPS}{group}/status/", user=user)
    assert response.status_code == 200, response.text
    return response.json()["status"]


def listed(api: SpecClient, group: int, listing: str, user: str | None) -> list[int]:
    response = api.get(f"{GROUPS}{group}/{listing}/", user=user)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["results"]]


def post(api: SpecClient, group: int, what: str, user: str | None, **kwargs: Any) -> httpx.Response:
    return api.post(f"{GROUPS}{group}/{what}/", user=user, **kwargs)


def delete(api: SpecClient, group: int, what: str, user: str | None, **kwargs: Any) -> httpx.Response:
    return api.delete(f"{GROUPS}{group}/{what}/", user=user, **kwargs)


def test_the_whole_group_lifecycle(groups: SpecClient) -> None:
    api = groups
    people = People(api.accounts)
    manager, requester, guest, other, direct = (
        people.manager, people.requester, people.guest, people.other, people.direct
    )  # fmt: skip
    ids = {name: people.id(name) for name in (manager, requester, guest, other, direct)}

    group = create_group(api, manager, description="Readers", color="#336699", visible=True)
    assert group["managed_by"]["id"] == group["created_by"]["id"] == ids[manager]
    assert group["subscription_status"] == "subscribed" and group["subscribed"] is True
    assert group["subscribers_counter"] == 1 and group["privacy"] == "private"
    gid = group["id"]

    # A private group: joining is a request; the manager accepts it by inviting, and invites others.
    assert post(api, gid, "subscribe", requester).status_code == 204
    assert status(api, gid, requester) == "requested"
    assert listed(api, gid, "request_subscribe", manager) == [ids[requester]]
    assert (
        post(
            api, gid, "invite", manager, json={"users": [ids[requester], ids[guest], ids[other]]}
        ).status_code
        == 204
    )
    assert status(api, gid, requester) == "subscribed"
    assert listed(api, gid, "invite", manager) == [ids[guest], ids[other]]
    assert listed(api, gid, "request_subscribe", manager) == []

    # The guest accepts; the manager withdraws the other invitation.
    assert post(api, gid, "subscribe", guest).status_code == 204
    assert delete(api, gid, "invite", manager, json={"users": [ids[other]]}).status_code == 204
    assert status(api, gid, guest) == "subscribed" and status(api, gid, other) is None

    # The manager subscribes users directly with `users`, whatever their state; his own stays.
    assert post(api, gid, "invite", manager, json={"users": [ids[other]]}).status_code == 204
    subscribed = post(api, gid, "subscribe", manager, json={"users": [ids[direct], ids[other], ids[guest]]})
    assert subscribed.status_code == 204 and subscribed.content == b""
    assert status(api, gid, direct) == status(api, gid, other) == "subscribed"
    assert status(api, gid, manager) == "subscribed"
    members = [ids[manager], ids[requester], ids[guest], ids[direct], ids[other]]
    assert listed(api, gid, "subscribe", guest) == members
    assert api.get(f"{GROUPS}{gid}/", user=guest).json()["subscribers_counter"] == 5

    # Removal by the manager (?user=), leaving, and the counter that follows.
    assert delete(api, gid, "subscribe", manager, params={"user": ids[direct]}).status_code == 204
    assert status(api, gid, direct) is None and status(api, gid, manager) == "subscribed"
    assert delete(api, gid, "subscribe", requester).status_code == 204
    assert status(api, gid, requester) is None
    info = api.get(f"{GROUPS}{gid}/", user=other).json()
    assert info["subscribers_counter"] == 3 and info["subscribed"] is True

    # A public group: joining subscribes at once; the manager who left rejoins a private one at once.
    public = create_group(api, manager, privacy="public")["id"]
    assert post(api, public, "subscribe", other).status_code == 204
    assert status(api, public, other) == "subscribed"
    assert delete(api, gid, "subscribe", manager).status_code == 204
    assert status(api, gid, manager) is None
    assert post(api, gid, "subscribe", manager).status_code == 204
    assert status(api, gid, manager) == "subscribed"


def test_groups_and_events_are_separate_families(api: SpecClient, people: People) -> None:
    group = create_group(api, people.manager)["id"]
    event = api.create_event(people.manager, privacy="private")
    invitee = people.id(people.invitee)
    assert post(api, group, "invite", people.manager, json={"users": [invitee]}).status_code == 204
    assert status(api, group, people.invitee) == "invited"
    # Whatever the ids, a state for a group never shows in an event and the reverse.
    assert api.status(event, people.invitee) is None
    assert api.listed(event, "invite", people.manager) == []
    stranger = api.get(f"{EVENTS}{event}/status/", user=people.invitee).json()
    assert stranger == {"status": None}


def test_group_access_branches(api: SpecClient, people: People) -> None:
    private = create_group(api, people.manager, privacy="private")["id"]
    public = create_group(api, people.manager, privacy="public")["id"]
    member, outsider = people.member, people.outsider
    assert (
        post(api, private, "subscribe", people.manager, json={"users": [people.id(member)]}).status_code
        == 204
    )

    # Member list: open on a public group, members only on a private one (401 anonymous, 403 others).
    assert api.get(f"{GROUPS}{public}/subscribe/").status_code == 200
    assert api.get(f"{GROUPS}{private}/subscribe/").status_code == 401
    assert api.get(f"{GROUPS}{private}/subscribe/", user=outsider).status_code == 403
    assert listed(api, private, "subscribe", member) == [people.id(people.manager), people.id(member)]

    # Info is open by default (content_availability unset is true); status needs a caller.
    anonymous_info = api.get(f"{GROUPS}{private}/")
    assert anonymous_info.status_code == 200 and anonymous_info.json()["subscription_status"] is None
    assert api.get(f"{GROUPS}{private}/status/").status_code == 401
    assert api.post(GROUPS, json={"name": "x", "privacy": "public"}).status_code == 401

    # The manager role: invitations, requests and direct subscription; a member is not a manager.
    target = {"users": [people.id(outsider)]}
    for method, what, kwargs in (
        ("POST", "invite", {"json": target}),
        ("DELETE", "invite", {"json": target}),
        ("GET", "invite", {}),
        ("GET", "request_subscribe", {}),
        ("POST", "subscribe", {"json": target}),
        ("DELETE", "subscribe", {"params": {"user": people.id(people.manager)}}),
    ):
        refused = api.request(method, f"{GROUPS}{private}/{what}/", user=member, **kwargs)
        assert refused.status_code == 403, (method, what, refused.text)
        anonymous = api.request(method, f"{GROUPS}{private}/{what}/", **kwargs)
        assert anonymous.status_code == 401, (method, what, anonymous.text)
    assert status(api, private, outsider) is None
    assert status(api, private, people.manager) == status(api, private, member) == "subscribed"


def test_group_validation(api: SpecClient, people: People) -> None:
    manager = people.manager
    group = create_group(api, manager)["id"]
    user = people.id(people.user)
    # Unknown groups and ids that are no group id: 404.
    assert api.get(f"{GROUPS}{10**15}/", user=manager).status_code == 404
    assert post(api, 10**15, "subscribe", manager).status_code == 404
    assert api.get(f"{GROUPS}abc/status/", user=manager).status_code == 404
    # Create: required fields, privacy values, unknown invitees (nothing is created).
    assert api.post(GROUPS, user=manager, json={"privacy": "public"}).status_code == 400
    assert api.post(GROUPS, user=manager, json={"name": "x", "privacy": "secret"}).status_code == 400
    assert api.post(GROUPS, user=manager).status_code == 400
    refused = api.post(
        GROUPS, user=manager, json={"name": "x", "privacy": "public", "invite_users": [10**15]}
    )
    assert refused.status_code == 400
    too_far = {"name": "x", "privacy": "public", "emotional_image_position": -(2**63)}
    assert api.post(GROUPS, user=manager, json=too_far).status_code == 400
    invited = create_group(api, manager, invite_users=[user])
    assert status(api, invited["id"], people.user) == "invited"
    # Lists of users: all or nothing.
    for body in ({"users": [user, 10**15]}, {"users": ["abc"]}, {"users": user}):
        assert post(api, group, "subscribe", manager, json=body).status_code == 400, body
        assert post(api, group, "invite", manager, json=body).status_code == 400, body
    assert post(api, group, "invite", manager, json={}).status_code == 400
    assert status(api, group, people.user) is None
    assert post(api, group, "subscribe", manager, json={"users": []}).status_code == 204
    assert listed(api, group, "subscribe", manager) == [people.id(manager)]
    # Removing a user who does not exist: 400, nothing changes.
    assert delete(api, group, "subscribe", manager, params={"user": 10**15}).status_code == 400
    assert status(api, group, manager) == "subscribed"
    # Form bodies, as the official client sends them, are read like JSON.
    form = post(api, group, "subscribe", manager, data={"users": [str(user)]})
    assert form.status_code == 204
    assert status(api, group, people.user) == "subscribed"


def test_long_free_text_fields_are_stored_on_both_families(groups: SpecClient) -> None:
    """The spec sets no length limit on `color`: a long one is stored, never a 5xx (PostgreSQL included)."""
    manager = f"colourist-{uuid.uuid4().hex[:8]}"
    colour = "#" + "0f" * 100
    assert create_group(groups, manager, color=colour)["color"] == colour
    body = event_body(color=colour)
    response = groups.post(EVENTS, user=manager, data={key: str(value) for key, value in body.items()})
    assert response.status_code == 201, response.text
    assert response.json()["color"] == colour
