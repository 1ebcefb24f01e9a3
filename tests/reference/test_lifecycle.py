"""The invitation lifecycle as the reference pages describe it, step by step over real HTTP."""

from __future__ import annotations

import pytest

from tests.reference.conftest import EVENTS, People, SpecClient, event_body


def test_me_answers_the_token_owner(api: SpecClient, people: People) -> None:
    response = api.get("/api/v2/user/me/", user=people.alice)
    assert response.status_code == 200
    assert response.json()["id"] == people.id(people.alice)
    assert response.json()["username"] == people.alice


def test_creator_is_manager_and_first_subscriber(api: SpecClient, people: People) -> None:
    body = event_body(privacy="private", description="Team dinner", color="#aa3300")
    response = api.post(EVENTS, user=people.manager, json=body)
    assert response.status_code == 201
    event = response.json()
    assert event["managed_by"]["id"] == event["created_by"]["id"] == people.id(people.manager)
    assert {key: event[key] for key in ("name", "privacy", "description", "color")} == {
        key: body[key] for key in ("name", "privacy", "description", "color")
    }
    assert event["subscription_status"] == "subscribed"
    assert event["subscribers_counter"] == 1
    assert response.headers["location"].endswith(f"{EVENTS}{event['id']}/")
    assert api.status(event["id"], people.manager) == "subscribed"
    assert api.listed(event["id"], "subscribe", people.manager) == [people.id(people.manager)]
    fetched = api.get(f"{EVENTS}{event['id']}/", user=people.guest)
    assert fetched.status_code == 200
    assert fetched.json()["id"] == event["id"]
    assert fetched.json()["subscription_status"] is None


def test_private_event_request_invite_accept_withdraw_leave(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="private")
    requester, guest, other = people.requester, people.guest, people.other

    assert api.post(f"{EVENTS}{event}/subscribe/", user=requester).status_code == 204
    assert api.status(event, requester) == "requested"
    assert api.listed(event, "request_subscribe", people.manager) == [people.id(requester)]
    assert api.listed(event, "subscribe", people.manager) == [people.id(people.manager)]

    # One request accepts the pending request and invites the others.
    response = api.invite(event, people.manager, [people.id(requester), people.id(guest), people.id(other)])
    assert response.status_code == 204
    assert response.content == b""
    assert api.status(event, requester) == "subscribed"
    assert api.status(event, guest) == api.status(event, other) == "invited"
    assert api.listed(event, "request_subscribe", people.manager) == []
    assert api.listed(event, "invite", people.manager) == [people.id(guest), people.id(other)]
    assert api.listed(event, "subscribe", people.manager) == [people.id(people.manager), people.id(requester)]

    # Inviting again changes nothing: never invited twice, subscribers stay subscribed.
    assert api.invite(event, people.manager, [people.id(guest), people.id(requester)]).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(guest), people.id(other)]
    assert api.status(event, requester) == "subscribed"

    # The guest accepts; the other invitation is withdrawn by the manager.
    assert api.post(f"{EVENTS}{event}/subscribe/", user=guest).status_code == 204
    assert api.status(event, guest) == "subscribed"
    withdrawn = api.delete(
        f"{EVENTS}{event}/invite/", user=people.manager, json={"users": [people.id(other)]}
    )
    assert withdrawn.status_code == 204
    assert api.status(event, other) is None
    assert api.listed(event, "invite", people.manager) == []

    # Withdrawing an invitation leaves subscribers alone.
    kept = api.delete(f"{EVENTS}{event}/invite/", user=people.manager, json={"users": [people.id(guest)]})
    assert kept.status_code == 204
    assert api.status(event, guest) == "subscribed"

    # The requester leaves; the event's counter follows.
    assert api.delete(f"{EVENTS}{event}/subscribe/", user=requester).status_code == 204
    assert api.status(event, requester) is None
    info = api.get(f"{EVENTS}{event}/", user=guest).json()
    assert info["subscribers_counter"] == 2
    assert info["subscription_status"] == api.status(event, guest) == "subscribed"


def test_private_event_request_stays_requested(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="private")
    for _ in range(2):
        assert api.post(f"{EVENTS}{event}/subscribe/", user=people.alice).status_code == 204
        assert api.status(event, people.alice) == "requested"


def test_withdrawing_request_and_declining_invitation(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="private")
    api.post(f"{EVENTS}{event}/subscribe/", user=people.asker)
    api.invite(event, people.manager, [people.id(people.invitee)])
    for user in (people.asker, people.invitee):
        assert api.delete(f"{EVENTS}{event}/subscribe/", user=user).status_code == 204
        assert api.status(event, user) is None
    assert api.listed(event, "request_subscribe", people.manager) == []
    assert api.listed(event, "invite", people.manager) == []


def test_public_event_subscribes_at_once(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    assert api.status(event, people.alice) is None
    for _ in range(2):
        assert api.post(f"{EVENTS}{event}/subscribe/", user=people.alice).status_code == 204
        assert api.status(event, people.alice) == "subscribed"
    assert api.listed(event, "subscribe", people.alice) == [
        people.id(people.manager),
        people.id(people.alice),
    ]


def test_manager_stays_manager_after_leaving(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="private")
    assert api.delete(f"{EVENTS}{event}/subscribe/", user=people.manager).status_code == 204
    assert api.status(event, people.manager) is None
    assert api.invite(event, people.manager, [people.id(people.alice)]).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(people.alice)]
    assert api.get(f"{EVENTS}{event}/", user=people.alice).json()["managed_by"]["id"] == people.id(
        people.manager
    )


def test_leaving_without_membership_changes_nothing(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    assert api.delete(f"{EVENTS}{event}/subscribe/", user=people.alice).status_code == 204
    assert api.status(event, people.alice) is None
    assert api.listed(event, "subscribe", people.alice) == [people.id(people.manager)]


def test_create_event_with_invite_users(api: SpecClient, people: People) -> None:
    body = event_body(invite_users=[people.id(people.alice), people.id(people.bob)])
    response = api.post(EVENTS, user=people.manager, json=body)
    assert response.status_code == 201, response.text
    event = response.json()["id"]
    assert api.listed(event, "invite", people.manager) == [people.id(people.alice), people.id(people.bob)]


def test_dates_are_stored_in_utc(api: SpecClient, people: People) -> None:
    body = event_body(start_date="2030-05-01t20:00:00+02:00", end_date="2030-05-01T23:59:59z")
    response = api.post(EVENTS, user=people.manager, json=body)
    assert response.status_code == 201, response.text
    event = api.get(f"{EVENTS}{response.json()['id']}/", user=people.manager).json()
    assert event["start_date"] == "2030-05-01T18:00:00+00:00"
    assert event["end_date"] == "2030-05-01T23:59:59+00:00"


def test_unstorable_dates_are_400(api: SpecClient, people: People) -> None:
    body = event_body(start_date="0001-01-01T00:00:00+14:00")
    assert api.post(EVENTS, user=people.manager, json=body).status_code == 400


def test_link_must_be_a_uri(api: SpecClient, people: People) -> None:
    assert api.post(EVENTS, user=people.manager, json=event_body(link="")).status_code == 400
    assert api.post(EVENTS, user=people.manager, json=event_body(link="not a uri")).status_code == 400


@pytest.mark.parametrize("field", ["name", "description", "geolocation"])
def test_nul_characters_are_refused(api: SpecClient, people: People, field: str) -> None:
    response = api.post(EVENTS, user=people.manager, json=event_body(**{field: "before\x00after"}))
    assert response.status_code == 400
    assert field in response.json()["detail"]
