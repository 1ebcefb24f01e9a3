"""Hostile input: oversized, malformed, deeply nested or forged requests get a 4xx, never a 5xx.

Every case is a small named function sending one request; the expectation says which statuses are
right. Afterwards the probe event must be untouched: a rejected request changes nothing.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import jwt
import pytest

from testkit.events import bearer, event_body
from testkit.processes import ServerProcess
from testkit.reference import Reference, logged_exceptions

# The target server is the module's fixture: one xdist worker starts it once per database.
pytestmark = pytest.mark.xdist_group("hostile")

ONE_MIB = 1024 * 1024
MAX_IDS = 10_000


@dataclass(frozen=True)
class AttackedServer:
    """The server under attack and the parties of its probe event."""

    reference: Reference
    base_url: str
    manager_id: int
    manager: str
    outsider: str  # a valid user who manages nothing
    victim: int  # a user id the attacks try to invite
    event: int  # the probe event, managed by manager_id
    other_event: int  # an event managed by the outsider
    server: ServerProcess

    def last_exception(self) -> str:
        """The server's last logged exception line, to tell why a 5xx happened."""
        return (logged_exceptions(self.server) or ["(no exception logged)"])[-1]

    @property
    def invite_path(self) -> str:
        return f"/api/v2/event/{self.event}/invite/"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def send(
    target: AttackedServer,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    chunk_size: int | None = None,
) -> Answer:
    """Exactly these bytes on the wire: no URL normalisation, no re-encoding (unlike httpx).

    With ``chunk_size`` the body goes out with Transfer-Encoding: chunked and no Content-Length,
    so the server only learns its size while reading it.
    """
    host, port = target.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    framing = {"Transfer-Encoding": "chunked"} if chunk_size else {"Content-Length": str(len(body))}
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {**framing, **(headers or {})}.items():
            connection.putheader(name, value)
        # The server may answer early (e.g. 413) and close while the body is still being sent.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if chunk_size:
                chunks = (body[i : i + chunk_size] for i in range(0, len(body), chunk_size))
                connection.endheaders(chunks, encode_chunked=True)
            else:
                connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def send_json(
    target: AttackedServer, body: bytes, *, token: str | None = None, method: str = "POST"
) -> Answer:
    headers = {"Content-Type": "application/json", **bearer(target.manager if token is None else token)}
    return send(target, method, target.invite_path, body=body, headers=headers)


def send_form(target: AttackedServer, body: bytes) -> Answer:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **bearer(target.manager)}
    return send(target, "POST", target.invite_path, body=body, headers=headers)


def get(target: AttackedServer, path: str, token: str | None = None) -> Answer:
    return send(target, "GET", path, headers=bearer(target.outsider if token is None else token))


# --- bodies: size, nesting, numbers, bytes -------------------------------------------------------


def padded(body: bytes, size: int) -> bytes:
    """``body`` followed by JSON whitespace up to ``size`` bytes: still valid, just too large."""
    return body + b" " * (size - len(body))


BODY_CASES: dict[str, tuple[Callable[[AttackedServer], Answer], set[int]]] = {
    "body one byte over 1 MiB": (
        lambda t: send_json(t, padded(b'{"users": [%d]}' % t.victim, ONE_MIB + 1)),
        {413},
    ),
    "body of 8 MiB": (lambda t: send_json(t, b"[" * (8 * ONE_MIB)), {413}),
    "chunked body over 1 MiB, no Content-Length": (
        lambda t: send(
            t,
            "POST",
            t.invite_path,
            body=padded(b'{"users": [%d]}' % t.victim, 2 * ONE_MIB),
            headers={"Content-Type": "application/json", **bearer(t.manager)},
            chunk_size=64 * 1024,
        ),
        {413},
    ),
    "10,001 ids": (lambda t: send_json(t, json.dumps({"users": [t.victim] * (MAX_IDS + 1)}).encode()), {400}),
    "10,001 ids as a form": (
        lambda t: send_form(t, b"&".join([b"users=%d" % t.victim] * (MAX_IDS + 1))),
        {400},
    ),
    "users nested 100,000 deep": (
        lambda t: send_json(t, b'{"users": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        {400},
    ),
    "body nested 300,000 deep": (lambda t: send_json(t, b"[" * 300_000 + b"]" * 300_000), {400}),
    "objects nested 50,000 deep": (
        lambda t: send_json(t, b'{"users": [1], "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001),
        {400},
    ),
    "integer of 5,000 digits": (lambda t: send_json(t, b'{"users": [' + b"9" * 5000 + b"]}"), {400}),
    "integer 2**63": (lambda t: send_json(t, b'{"users": [%d]}' % 2**63), {400}),
    "integer 2**64 + 1": (lambda t: send_json(t, b'{"users": [%d]}' % (2**64 + 1)), {400}),
    "negative id": (lambda t: send_json(t, b'{"users": [-1]}'), {400}),
    "float overflowing to infinity": (lambda t: send_json(t, b'{"users": [1e999]}'), {400}),
    "NaN": (lambda t: send_json(t, b'{"users": [NaN]}'), {400}),
    "NUL escape in an id": (lambda t: send_json(t, b'{"users": ["1\\u0000"]}'), {400}),
    "raw NUL byte in the JSON": (lambda t: send_json(t, b'{"users": [1\x00]}'), {400}),
    "NUL in a form value": (lambda t: send_form(t, b"users=1%00"), {400}),
    "invalid UTF-8 in JSON": (lambda t: send_json(t, b'{"users": ["\xff\xfe"]}'), {400}),
    "lone surrogate escape": (lambda t: send_json(t, b'{"users": ["\\ud800"]}'), {400}),
    "invalid UTF-8 in a form": (lambda t: send_form(t, b"users=%ff%fe"), {400}),
    "raw invalid UTF-8 in a form": (lambda t: send_form(t, b"users=\xff"), {400}),
    "SQL in an id": (lambda t: send_json(t, b'{"users": ["1 OR 1=1"]}'), {400}),
    "SQL statement in an id": (lambda t: send_json(t, b'{"users": ["1); DROP TABLE users; --"]}'), {400}),
    "truncated JSON": (lambda t: send_json(t, b'{"users": [1'), {400}),
    "empty JSON body": (lambda t: send_json(t, b""), {400}),
    "JSON with duplicate keys": (lambda t: send_json(t, b'{"users": [1], "users": "x"}'), {400}),
    "multipart with a broken boundary": (
        lambda t: send(
            t,
            "POST",
            t.invite_path,
            body=b"--nope\r\nContent-Disposition: form-data; name=users\r\n\r\n1\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=other", **bearer(t.manager)},
        ),
        {400},
    ),
    "multipart with invalid UTF-8": (
        lambda t: send(
            t,
            "POST",
            t.invite_path,
            body=b'--b\r\nContent-Disposition: form-data; name="users"\r\n\r\n\xff\xfe\r\n--b--\r\n',
            headers={"Content-Type": "multipart/form-data; boundary=b", **bearer(t.manager)},
        ),
        {400},
    ),
    "unknown media type": (
        lambda t: send(
            t,
            "POST",
            t.invite_path,
            body=b"<users/>",
            headers={"Content-Type": "application/xml", **bearer(t.manager)},
        ),
        {415},
    ),
}


# --- paths and query strings ------------------------------------------------------------------

PATH_CASES: dict[str, Callable[[AttackedServer], str]] = {
    "dot segments to another event": lambda t: f"/api/v2/event/{t.other_event}/../{t.event}/invite/",
    "dot segments up to the root": lambda t: f"/api/v2/event/{t.event}/invite/../../../../etc/passwd",
    "encoded dot segments": lambda t: "/api/v2/event/%2e%2e/invite/",
    "encoded dots and slashes": lambda t: "/api/v2/event/..%2f..%2f..%2fetc%2fpasswd/invite/",
    "encoded slash in the id": lambda t: f"/api/v2/event/{t.event}%2Finvite/",
    "doubled slash": lambda t: f"/api/v2//event/{t.event}/invite/",
    "leading doubled slash": lambda t: f"//api/v2/event/{t.event}/invite/",
    "backslashes": lambda t: f"/api/v2/event/{t.event}\\..\\invite/",
    "NUL in the id": lambda t: f"/api/v2/event/{t.event}%00/invite/",
    "invalid UTF-8 in the id": lambda t: "/api/v2/event/%ff%fe/invite/",
    "SQL in the id": lambda t: "/api/v2/event/1%20OR%201=1/invite/",
    "id of 2**63": lambda t: f"/api/v2/event/{2**63}/invite/",
    "id of 30 digits": lambda t: f"/api/v2/event/{10**30}/invite/",
    "id of 5,000 digits": lambda t: "/api/v2/event/" + "9" * 5000 + "/invite/",
    "negative id": lambda t: "/api/v2/event/-1/invite/",
    "id with an exponent": lambda t: "/api/v2/event/1e3/invite/",
}


# Odd paging values may be refused (4xx) or clamped (200 with a page); never a 5xx.
QUERY_CASES: dict[str, Callable[[AttackedServer], str]] = {
    "SQL in limit": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?limit=1;DROP%20TABLE%20users",
    "limit of 30 digits": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?limit={10**30}",
    "negative offset": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?offset=-1",
    "offset of 2**63": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?offset={2**63}",
    "NUL in limit": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?limit=1%00",
    "invalid UTF-8 in limit": lambda t: f"/api/v2/event/{t.other_event}/subscribe/?limit=%ff",
}


# --- bearer tokens ---------------------------------------------------------------------------


def claims(t: AttackedServer, **override: object) -> dict[str, object]:
    now = int(time.time())
    return {"sub": str(t.manager_id), "iat": now, "exp": now + 600, **override}


def tampered(t: AttackedServer) -> str:
    header, _, signature = t.manager.split(".")
    payload = (
        base64.urlsafe_b64encode(json.dumps(claims(t, sub=str(t.victim))).encode()).rstrip(b"=").decode()
    )
    return f"{header}.{payload}.{signature}"


def without(mapping: dict[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in mapping.items() if k != key}


TOKEN_CASES: dict[str, Callable[[AttackedServer], str]] = {
    "alg none": lambda t: jwt.encode(claims(t), None, algorithm="none"),
    "wrong key": lambda t: jwt.encode(claims(t), "not-the-server-secret-" * 2, algorithm="HS256"),
    "HS512 with the right key": lambda t: jwt.encode(claims(t), t.reference.jwt_secret, algorithm="HS512"),
    "expired": lambda t: t.reference.token(t.manager_id, exp=int(time.time()) - 60),
    "not yet valid": lambda t: t.reference.token(t.manager_id, nbf=int(time.time()) + 3600),
    "no subject": lambda t: jwt.encode(without(claims(t), "sub"), t.reference.jwt_secret, algorithm="HS256"),
    "no expiry": lambda t: jwt.encode(without(claims(t), "exp"), t.reference.jwt_secret, algorithm="HS256"),
    "unknown user": lambda t: t.reference.token(10**12),
    "subject not a user id": lambda t: t.reference.token(t.manager_id, sub="admin"),
    "subject 2**64": lambda t: t.reference.token(t.manager_id, sub=str(2**64)),
    "tampered payload": tampered,
    "not a JWT": lambda t: "not-a-jwt",
    "empty token": lambda t: "",
}


@pytest.fixture(scope="module")
def target(module_reference: Reference) -> Iterator[AttackedServer]:
    ids = module_reference.seed(4)
    manager_id, outsider_id, victim = ids[0], ids[1], ids[2]
    manager, outsider = module_reference.token(manager_id), module_reference.token(outsider_id)
    with (
        module_reference.server(workers=1) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        created = client.post("/api/v2/event/", json=event_body(private=True), headers=bearer(manager))
        other = client.post("/api/v2/event/", json=event_body(private=True), headers=bearer(outsider))
        assert created.status_code == other.status_code == 201, (created.text, other.text)
        yield AttackedServer(
            module_reference,
            server.base_url,
            manager_id,
            manager,
            outsider,
            victim,
            int(created.json()["id"]),
            int(other.json()["id"]),
            server,
        )


def describe(answer: Answer, target: AttackedServer) -> str:
    text = f"{answer.status} {answer.body[:300]!r}"
    return f"{text}; server log: {target.last_exception()}" if answer.status >= 500 else text


@pytest.mark.parametrize("case", list(BODY_CASES))
def test_hostile_body_is_refused(target: AttackedServer, case: str) -> None:
    attack, expected = BODY_CASES[case]
    answer = attack(target)
    assert answer.status in expected, f"{case}: expected {sorted(expected)}, got {describe(answer, target)}"
    assert b"Traceback" not in answer.body


@pytest.mark.parametrize("case", list(PATH_CASES))
def test_hostile_path_or_query_is_a_client_error(target: AttackedServer, case: str) -> None:
    answer = get(target, PATH_CASES[case](target))
    assert 400 <= answer.status < 500, f"{case}: expected a 4xx, got {describe(answer, target)}"


@pytest.mark.parametrize("case", list(QUERY_CASES))
def test_odd_paging_is_refused_or_clamped(target: AttackedServer, case: str) -> None:
    answer = get(target, QUERY_CASES[case](target))
    assert answer.status < 500, f"{case}: expected a 4xx or a page, got {describe(answer, target)}"
    if answer.status == 200:
        page = json.loads(answer.body)
        assert isinstance(page["results"], list) and page["count"] >= len(page["results"]), page
    else:
        assert 400 <= answer.status < 500, f"{case}: {describe(answer, target)}"


@pytest.mark.parametrize("case", list(TOKEN_CASES))
@pytest.mark.parametrize("operation", ["me", "invite"])
def test_forged_or_unusable_token_is_401(target: AttackedServer, case: str, operation: str) -> None:
    token = TOKEN_CASES[case](target)
    if operation == "me":
        answer = get(target, "/api/v2/user/me/", token)
    else:
        answer = send_json(target, json.dumps({"users": [target.victim]}).encode(), token=token)
    assert answer.status == 401, f"{case}: expected 401, got {describe(answer, target)}"
    assert answer.headers.get("www-authenticate", "").lower().startswith("bearer"), answer.headers


def test_oversized_header_is_a_client_error(target: AttackedServer) -> None:
    answer = get(target, "/api/v2/user/me/", "x" * 200_000)
    assert 400 <= answer.status < 500, describe(answer, target)


@pytest.mark.parametrize(
    "name",
    [
        "'); DROP TABLE events; --",
        "Robert'); DELETE FROM memberships WHERE ('1'='1",
        "nul \x00 inside",
        "\ud7ff\ue000",
    ],
)
def test_odd_event_names_are_stored_verbatim_or_refused(target: AttackedServer, name: str) -> None:
    body = {**event_body(private=False), "name": name}
    with httpx.Client(base_url=target.base_url, timeout=60) as client:
        created = client.post("/api/v2/event/", json=body, headers=bearer(target.outsider))
        assert created.status_code < 500, f"{created.text}; server log: {target.last_exception()}"
        if created.status_code == 201:
            shown = client.get(f"/api/v2/event/{created.json()['id']}/", headers=bearer(target.outsider))
            assert shown.status_code == 200, shown.text
            assert shown.json()["name"] == name
        else:
            assert 400 <= created.status_code < 500, created.text


def test_exactly_10000_ids_is_accepted(target: AttackedServer) -> None:
    """The limit is 10,000 ids, not fewer: the boundary itself is a valid request."""
    with httpx.Client(base_url=target.base_url, timeout=60) as client:
        event = client.post("/api/v2/event/", json=event_body(private=True), headers=bearer(target.outsider))
        path = f"/api/v2/event/{event.json()['id']}/invite/"
        answer = client.post(path, json={"users": [target.victim] * MAX_IDS}, headers=bearer(target.outsider))
        assert answer.status_code == 204, answer.text


def test_rejected_requests_changed_nothing(target: AttackedServer) -> None:
    """Runs after the attacks in this module: the probe event still has no invitation."""
    with httpx.Client(base_url=target.base_url, timeout=60) as client:
        listed = client.get(target.invite_path, headers=bearer(target.manager))
        assert listed.status_code == 200, listed.text
        assert listed.json()["count"] == 0, listed.json()
        status = client.get(
            f"/api/v2/event/{target.event}/status/", headers=bearer(target.reference.token(target.victim))
        )
        assert status.json() == {"status": None}
