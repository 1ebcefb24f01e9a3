"""Who may call what: 401 with a Bearer challenge, 404 for unknown events, 403 for non-managers.

The conditional rules (anonymous readers, private member lists, the manager's removal) are in
test_conditional_access.py.
"""

from __future__ import annotations

import time

import jwt
import pytest

from tests.reference.conftest import EVENTS, Accounts, People, SpecClient

MANAGER_ONLY = [
    ("POST", "invite/"),
    ("GET", "invite/"),
    ("DELETE", "invite/"),
    ("GET", "request_subscribe/"),
]
EVENT_OPERATIONS = [
    *MANAGER_ONLY,
    ("GET", ""),
    ("POST", "subscribe/"),
    ("GET", "subscribe/"),
    ("DELETE", "subscribe/"),
    ("GET", "status/"),
]
# Readable without a token (event info; the member list of a public event): see test_conditional_access.py.
OPEN_TO_ANONYMOUS = [("GET", ""), ("GET", "subscribe/")]
ALL_OPERATIONS = [("GET", "/api/v2/user/me/"), ("POST", EVENTS)] + [
    (method, EVENTS + "1/" + tail)
    for method, tail in EVENT_OPERATIONS
    if (method, tail) not in OPEN_TO_ANONYMOUS
]


def _body(method: str, path: str) -> dict[str, object] | None:
    return {"users": []} if path.endswith("invite/") and method != "GET" else None


@pytest.mark.parametrize(("method", "path"), ALL_OPERATIONS)
def test_no_credentials_is_401_with_plain_bearer_challenge(api: SpecClient, method: str, path: str) -> None:
    response = api.request(method, path, json=_body(method, path))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="selfcommunity"'


def _forged(accounts: Accounts, user_id: int) -> dict[str, str]:
    now = int(time.time())
    valid = {"sub": str(user_id), "iat": now, "exp": now + 600}
    other_secret = "not-the-server-secret-" * 2
    return {
        "expired": jwt.encode({**valid, "exp": now - 10}, accounts.secret, algorithm="HS256"),
        "wrong secret": jwt.encode(valid, other_secret, algorithm="HS256"),
        "alg none": jwt.encode(valid, None, algorithm="none"),
        "alg HS512": jwt.encode(valid, accounts.secret + "-long-enough-for-hs512", algorithm="HS512"),
        "no exp": jwt.encode({"sub": str(user_id)}, accounts.secret, algorithm="HS256"),
        "no sub": jwt.encode({"exp": now + 600}, accounts.secret, algorithm="HS256"),
        "integer sub": jwt.encode({**valid, "sub": user_id}, accounts.secret, algorithm="HS256"),
        "non-numeric sub": jwt.encode({**valid, "sub": "alice"}, accounts.secret, algorithm="HS256"),
        "unknown user": jwt.encode({**valid, "sub": str(2**62)}, accounts.secret, algorithm="HS256"),
        "not a jwt": "abc.def.ghi",
    }


@pytest.mark.parametrize(
    "case",
    ["expired", "wrong secret", "alg none", "alg HS512", "no exp", "no sub", "integer sub",
     "non-numeric sub", "unknown user", "not a jwt"],
)  # fmt: skip
def test_bad_tokens_are_401_invalid_token(
    api: SpecClient, accounts: Accounts, people: People, case: str
) -> None:
    token = _forged(accounts, people.id(people.alice))[case]
    response = api.get("/api/v2/user/me/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="selfcommunity", error="invalid_token", error_description="')
    assert challenge.endswith('"') and challenge.count('"') == 6


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer a b", "Basic YWxpY2U6c2VjcmV0", "Token abc", "bearer-abc"],
)
def test_malformed_authorization_is_401_invalid_token(api: SpecClient, authorization: str) -> None:
    response = api.get("/api/v2/user/me/", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_scheme_name_is_case_insensitive(api: SpecClient, accounts: Accounts, people: People) -> None:
    token = accounts.token(people.alice)
    response = api.get("/api/v2/user/me/", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "tail"), MANAGER_ONLY)
def test_non_manager_is_403_and_nothing_changes(
    api: SpecClient, people: People, method: str, tail: str
) -> None:
    event = api.create_event(people.manager)
    api.invite(event, people.manager, [people.id(people.invitee)])
    body = {"users": [people.id(people.outsider)]} if method != "GET" else None
    response = api.request(method, f"{EVENTS}{event}/{tail}", user=people.outsider, json=body)
    assert response.status_code == 403
    assert "manager" in response.json()["detail"]
    assert api.status(event, people.outsider) is None
    assert api.listed(event, "invite", people.manager) == [people.id(people.invitee)]


def test_subscribed_non_manager_is_still_403(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager, privacy="public")
    api.post(f"{EVENTS}{event}/subscribe/", user=people.member)
    response = api.invite(event, people.member, [people.id(people.alice)])
    assert response.status_code == 403
    assert api.status(event, people.alice) is None


UNKNOWN_EVENT_IDS = [
    "999999999", "0", "-1", "+0", "abc", "1.5", "9223372036854775808", "99999999999999999999999", "9" * 5_000,
]  # fmt: skip


@pytest.mark.parametrize("event_id", UNKNOWN_EVENT_IDS)
@pytest.mark.parametrize(("method", "tail"), EVENT_OPERATIONS)
def test_unknown_event_is_404(api: SpecClient, people: People, event_id: str, method: str, tail: str) -> None:
    body = {"users": [people.id(people.alice)]} if tail == "invite/" and method != "GET" else None
    response = api.request(method, f"{EVENTS}{event_id}/{tail}", user=people.alice, json=body)
    assert response.status_code == 404


def test_unknown_event_is_404_before_403_and_401_before_404(api: SpecClient, people: People) -> None:
    # A non-manager learns that the event does not exist, as for any other caller.
    assert api.invite(10**15, people.alice, [people.id(people.alice)]).status_code == 404
    assert api.post(f"{EVENTS}{10**15}/invite/", json={"users": [1]}).status_code == 401


def test_non_manager_gets_403_even_with_a_bad_body(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    response = api.post(f"{EVENTS}{event}/invite/", user=people.alice, json={"users": "nonsense"})
    assert response.status_code == 403


def test_credentials_on_requests_that_fail_change_nothing(api: SpecClient, people: People) -> None:
    event = api.create_event(people.manager)
    response = api.post(
        f"{EVENTS}{event}/invite/",
        headers={"Authorization": "Bearer forged"},
        json={"users": [people.id(people.alice)]},
    )
    assert response.status_code == 401
    assert api.status(event, people.alice) is None
