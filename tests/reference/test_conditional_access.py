"""The conditional x-access rules of openapi/v2.yaml, enforced by the reference server.

- getEventInfo: anyone (``subscription_status`` null for anonymous callers); authentication
  required when the community option ``content_availability`` is false.
- getEventSubscribedUsers: anyone on a public event; on a private one, subscribers only
  (anonymous 401, other users 403).
- unsubscribeFromEvent with ``?user=ID``: the event manager removes that user, whatever their state.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from schemathesis.schemas import BaseSchema

from reference_impl.settings import SPEC_PATH, SPEC_PATH_ENV
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import EVENTS, PROBLEM_JSON, People, SpecClient, spec_client

PLAIN_CHALLENGE = 'Bearer realm="selfcommunity"'


def _info(api: SpecClient, event: int, user: str | None = None) -> httpx.Response:
    return api.get(f"{EVENTS}{event}/", user=user)


def _members(api: SpecClient, event: int, user: str | None = None) -> httpx.Response:
    return api.get(f"{EVENTS}{event}/subscribe/", user=user)


def _remove(api: SpecClient, event: int, by: str, target: object) -> httpx.Response:
    return api.delete(f"{EVENTS}{event}/subscribe/", user=by, params={"user": target})


def _request(api: SpecClient, event: int, user: str) -> None:
    """``user`` asks to join the private ``event`` (a pending request)."""
    assert api.post(f"{EVENTS}{event}/subscribe/", user=user).status_code == 204
    assert api.status(event, user) == "requested"


# Event info


@pytest.mark.parametrize("privacy", ["public", "private"])
def test_event_info_is_open_to_anonymous_callers(api: SpecClient, people: People, privacy: str) -> None:
    event = api.create_event(people.manager, privacy=privacy)
    anonymous = _info(api, event)
    assert anonymous.status_code == 200, anonymous.text
    assert anonymous.json()["id"] == event
    assert anonymous.json()["subscription_status"] is None
    assert _info(api, event, people.manager).json()["subscription_status"] == "subscribed"


def test_event_info_with_an_invalid_token_is_still_401(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    response = api.get(f"{EVENTS}{event}/", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("tail", ["", "subscribe/"])
def test_anonymous_reader_of_an_unknown_event_gets_404(api: SpecClient, tail: str) -> None:
    assert api.get(f"{EVENTS}{10**15}/{tail}").status_code == 404


# The member list


def test_public_member_list_is_open_to_anyone(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    for user in (None, people.outsider):
        response = _members(api, event, user)
        assert response.status_code == 200, response.text
        assert [member["id"] for member in response.json()["results"]] == [people.id(people.manager)]


def test_private_member_list_anonymous_is_401(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    response = _members(api, event)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == PLAIN_CHALLENGE
    assert "private" in response.json()["detail"]


def test_private_member_list_is_for_subscribers_only(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    api.invite(event, people.manager, [people.id(people.invitee), people.id(people.member)])
    assert api.post(f"{EVENTS}{event}/subscribe/", user=people.member).status_code == 204
    _request(api, event, people.requester)
    for outsider in (people.outsider, people.invitee, people.requester):
        response = _members(api, event, outsider)
        assert response.status_code == 403, (outsider, response.text)
        assert "subscribers" in response.json()["detail"]
    expected = [people.id(people.manager), people.id(people.member)]
    for subscriber in (people.manager, people.member):
        assert api.listed(event, "subscribe", subscriber) == expected


def test_manager_who_left_a_private_event_no_longer_reads_members(api: SpecClient, people: People) -> None:
    # Literal reading of "being subscribed to the event": the manager role alone is not enough.
    event = api.create_event(people.manager)
    assert api.delete(f"{EVENTS}{event}/subscribe/", user=people.manager).status_code == 204
    assert _members(api, event, people.manager).status_code == 403


# The manager's removal: DELETE /subscribe/?user=ID


@pytest.mark.parametrize("state", ["subscribed", "invited", "requested"])
def test_manager_removes_a_user_in_any_state(api: SpecClient, people: People, state: str) -> None:
    event = api.create_event(people.manager)
    target = people.id(people.target)
    if state == "requested":
        _request(api, event, people.target)
    else:
        api.invite(event, people.manager, [target])
        if state == "subscribed":
            api.post(f"{EVENTS}{event}/subscribe/", user=people.target)
    assert api.status(event, people.target) == state
    response = _remove(api, event, people.manager, target)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert api.status(event, people.target) is None
    assert api.status(event, people.manager) == "subscribed"


def test_manager_naming_himself_leaves_and_stays_manager(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    assert _remove(api, event, people.manager, people.id(people.manager)).status_code == 204
    assert api.status(event, people.manager) is None
    assert api.invite(event, people.manager, [people.id(people.alice)]).status_code == 204


@pytest.mark.parametrize("naming", ["another user", "himself"])
def test_non_manager_passing_user_is_403_and_nothing_changes(
    api: SpecClient, people: People, naming: str
) -> None:
    event = api.create_event(people.manager, privacy="public")
    for user in (people.member, people.other):
        assert api.post(f"{EVENTS}{event}/subscribe/", user=user).status_code == 204
    target = people.other if naming == "another user" else people.member
    response = _remove(api, event, people.member, people.id(target))
    assert response.status_code == 403
    assert "manager" in response.json()["detail"] and "user" in response.json()["detail"]
    assert api.status(event, people.member) == api.status(event, people.other) == "subscribed"


def test_anonymous_removal_is_401(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    response = api.delete(f"{EVENTS}{event}/subscribe/", params={"user": people.id(people.manager)})
    assert response.status_code == 401
    assert api.status(event, people.manager) == "subscribed"


def test_removal_on_an_unknown_event_is_404(api: SpecClient, people: People) -> None:
    assert _remove(api, 10**15, people.manager, people.id(people.manager)).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", ""])
def test_user_that_is_not_an_integer_is_400(api: SpecClient, people: People, value: str) -> None:
    event = api.create_event(people.manager)
    response = _remove(api, event, people.manager, value)
    assert response.status_code == 400, response.text
    assert api.status(event, people.manager) == "subscribed"


@pytest.mark.parametrize("value", [10**15, 0, -3])
def test_user_that_does_not_exist_is_400(api: SpecClient, people: People, value: int) -> None:
    event = api.create_event(people.manager)
    response = _remove(api, event, people.manager, value)
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM_JSON
    assert f"No user with id {value}" in response.json()["detail"]
    assert api.status(event, people.manager) == "subscribed"


def test_a_user_field_in_the_body_is_not_read(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    assert api.post(f"{EVENTS}{event}/subscribe/", user=people.member).status_code == 204
    response = api.request(
        "DELETE", f"{EVENTS}{event}/subscribe/", user=people.member, json={"user": people.id(people.manager)}
    )
    assert response.status_code == 204
    assert api.status(event, people.member) is None  # the caller left
    assert api.status(event, people.manager) == "subscribed"


def test_without_user_the_caller_leaves(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    assert api.post(f"{EVENTS}{event}/subscribe/", user=people.member).status_code == 204
    assert api.delete(f"{EVENTS}{event}/subscribe/", user=people.member).status_code == 204
    assert api.status(event, people.member) is None
    assert api.status(event, people.manager) == "subscribed"


# Community option content_availability=false


@pytest.fixture(params=["flag", "environment", "flag, two workers"])
def closed_content(
    request: pytest.FixtureRequest, reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema
) -> Iterator[SpecClient]:
    """A server with content_availability=false, set by ``--community-option`` or the environment."""
    if request.param.startswith("flag"):
        workers = 2 if "two workers" in request.param else 1
        server = reference_server_factory(
            workers=workers, args=("--community-option", "content_availability=false")
        )
    else:
        server = reference_server_factory(env={"CONTRACT_COMMUNITY_OPTIONS": "content_availability=false"})
    with spec_client(server, api_schema) as client:
        yield client


def test_closed_content_requires_authentication_for_event_info(closed_content: SpecClient) -> None:
    api = closed_content
    event = api.create_event("manager", privacy="public")
    response = _info(api, event)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == PLAIN_CHALLENGE
    assert "content_availability" in response.json()["detail"]
    assert _info(api, event, "reader").status_code == 200
    # The default clause alone decides between 401 and 404 for an event that does not exist.
    assert _info(api, 10**15).status_code == 404
    # The public member list does not depend on the option.
    assert _members(api, event).status_code == 200


def test_explicit_true_option_keeps_event_info_open(
    reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema
) -> None:
    server = reference_server_factory(
        args=("--community-option", "content_availability=true"),
        env={"CONTRACT_COMMUNITY_OPTIONS": "content_availability=false"},  # the flag wins
    )
    with spec_client(server, api_schema) as api:
        event = api.create_event("manager")
        assert _info(api, event).status_code == 200


# The same branches on PostgreSQL


def test_conditional_access_on_postgresql(
    reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema, postgres_url: str
) -> None:
    server = reference_server_factory(postgres_url)
    with spec_client(server, api_schema) as api:
        people = People(api.accounts)
        event = api.create_event(people.manager)
        assert _info(api, event).json()["subscription_status"] is None
        assert _members(api, event).status_code == 401
        assert _members(api, event, people.outsider).status_code == 403
        api.invite(event, people.manager, [people.id(people.member), people.id(people.invitee)])
        api.post(f"{EVENTS}{event}/subscribe/", user=people.member)
        members = [people.id(people.manager), people.id(people.member)]
        assert api.listed(event, "subscribe", people.member) == members
        assert _remove(api, event, people.member, people.id(people.invitee)).status_code == 403
        assert api.status(event, people.invitee) == "invited"
        assert _remove(api, event, people.manager, 10**15).status_code == 400
        assert _remove(api, event, people.manager, people.id(people.invitee)).status_code == 204
        assert _remove(api, event, people.manager, people.id(people.member)).status_code == 204
        assert api.status(event, people.invitee) is None and api.status(event, people.member) is None
        assert _members(api, event, people.member).status_code == 403
        public = api.create_event(people.manager, privacy="public")
        assert _members(api, public).status_code == 200


def test_closed_content_on_postgresql(
    reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema, postgres_url: str
) -> None:
    server = reference_server_factory(postgres_url, args=("--community-option", "content_availability=false"))
    with spec_client(server, api_schema) as api:
        event = api.create_event("manager", privacy="public")
        assert _info(api, event).status_code == 401
        assert _info(api, event, "reader").status_code == 200


# The evaluator is general: other rules in a spec variant


def _variant(tmp_path: Path) -> Path:
    """inviteUsersToEvent: manager only when the body names ``users``; the applicants list: only
    where content_availability is false (so absent on a default server)."""
    spec: dict[str, Any] = copy.deepcopy(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))
    invite = spec["paths"]["/api/v2/event/{id}/invite/"]["post"]
    invite["x-access"] = {
        "authentication": "required",
        "roles": [],
        "rules": [{"when": {"param": ["users"]}, "authentication": "required", "roles": ["event_manager"]}],
    }
    spec["paths"]["/api/v2/event/{id}/request_subscribe/"]["get"]["x-access"]["options"] = {
        "content_availability": False
    }
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_body_fields_and_operation_options_in_a_spec_variant(
    reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema, tmp_path: Path
) -> None:
    server = reference_server_factory(env={SPEC_PATH_ENV: str(_variant(tmp_path))})
    with spec_client(server, api_schema) as api:
        event = api.create_event("manager")
        invitee = api.accounts.id("invitee")
        invite = f"{EVENTS}{event}/invite/"
        # The body names users: the rule applies, in JSON and in a form alike.
        assert api.post(invite, user="member", json={"users": [invitee]}).status_code == 403
        assert api.post(invite, user="member", data={"users": [str(invitee)]}).status_code == 403
        # No users field: the rule does not apply, and body validation answers.
        assert api.post(invite, user="member", json={"other": 1}).status_code == 400
        assert api.post(invite, user="manager", json={"users": [invitee]}).status_code == 204
        assert api.status(event, "invitee") == "invited"
        unavailable = api.get(f"{EVENTS}{event}/request_subscribe/", user="manager")
        assert unavailable.status_code == 404
        assert "content_availability=false" in unavailable.json()["detail"]
