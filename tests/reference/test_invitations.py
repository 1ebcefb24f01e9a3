"""POST invite's own answers beyond access, on each database: unknown users (400, nothing changed),
pending requests accepted and the others invited. An invitation racing a deletion:
test_deleted_meanwhile.py."""

from __future__ import annotations

import pytest

from tests.reference.conftest import EVENTS, People, SpecClient

UNKNOWN_ID = 2**62  # a storable id that names no user


@pytest.mark.parametrize("listed", [[UNKNOWN_ID], ["known", UNKNOWN_ID, UNKNOWN_ID + 1]])
def test_an_unknown_user_is_refused_and_nothing_changes(
    on_each_database: SpecClient, listed: list[int | str]
) -> None:
    api = on_each_database
    people = People(api.accounts)
    event = api.create_event(people.manager)
    ids = [people.id(people.known) if item == "known" else item for item in listed]
    response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, json={"users": ids})
    assert response.status_code == 400, response.text
    unknown = ", ".join(str(item) for item in ids if item != people.id(people.known))
    assert f"No user with id {unknown}; nothing was changed." in response.json()["detail"]
    assert api.listed(event, "invite", people.manager) == []
    assert api.invite(event, people.manager, [people.id(people.known)]).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(people.known)]


@pytest.mark.parametrize("together", [False, True])
def test_an_invitation_accepts_pending_requests_and_invites_the_others(
    on_each_database: SpecClient, together: bool
) -> None:
    """One user per request, or one list: requesters become subscribers, the others invited, in list order;
    inviting again changes nothing."""
    api = on_each_database
    people = People(api.accounts)
    event = api.create_event(people.manager)
    for requester in (people.first_requester, people.second_requester):
        assert api.post(f"{EVENTS}{event}/subscribe/", user=requester).status_code == 204
    listed = [
        people.id(name)
        for name in (people.invitee, people.second_requester, people.other, people.first_requester)
    ]
    for ids in [listed] if together else [[user] for user in listed]:
        assert api.invite(event, people.manager, ids).status_code == 204
    assert api.invite(event, people.manager, listed).status_code == 204
    assert api.listed(event, "invite", people.manager) == [people.id(people.invitee), people.id(people.other)]
    assert api.listed(event, "request_subscribe", people.manager) == []
    subscribers = api.listed(event, "subscribe", people.manager)
    assert subscribers == [
        people.id(people.manager),
        people.id(people.second_requester),
        people.id(people.first_requester),
    ]
    assert api.status(event, people.first_requester) == "subscribed"
