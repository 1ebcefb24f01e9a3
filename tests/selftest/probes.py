"""One probe per rule of the contract, run by hand against the toy servers.

Each probe returns ``None`` when its rule holds and a short account of what it saw otherwise. They keep
the toy honest independently of the conformance suite: the correct toy and the variants satisfy every
probe, and each fault breaks the probe named for it.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from jsonschema import FormatChecker

from openapi.document import shipped

from .servers import TOKENS
from .toy_client import UNKNOWN_EVENT, UNKNOWN_USER, ToyClient

RFC3339 = FormatChecker(["date-time"])

Probe = Callable[[ToyClient], str | None]
PROBES: dict[str, Probe] = {}


def probe(function: Probe) -> Probe:
    PROBES[function.__name__.removeprefix("probe_").replace("_", "-")] = function
    return function


def _expect(what: str, seen: object, wanted: object) -> str | None:
    return None if seen == wanted else f"{what}: expected {wanted!r}, got {seen!r}"


def _refused_with(api: ToyClient, headers: dict[str, str]) -> str | None:
    event = api.new_event()
    return _expect("status", api.invite(event, [api.ids[1]], headers=headers).status_code, 401)


@probe
def probe_auth_missing(api: ToyClient) -> str | None:
    return _refused_with(api, {})


@probe
def probe_auth_garbage(api: ToyClient) -> str | None:
    return _refused_with(api, {"Authorization": "Bearer not-a-token"})


@probe
def probe_auth_empty(api: ToyClient) -> str | None:
    return _refused_with(api, {"Authorization": "Bearer"})


@probe
def probe_auth_scheme(api: ToyClient) -> str | None:
    return _refused_with(api, {"Authorization": "Token toy-token-1"}) or _refused_with(
        api, {"Authorization": "Basic dXNlcjpwYXNz"}
    )


@probe
def probe_auth_challenge(api: ToyClient) -> str | None:
    response = api.invite(api.new_event(), [api.ids[1]], headers={})
    challenge = response.headers.get("www-authenticate", "")
    return _expect("challenge scheme", challenge.split(" ")[0].lower(), "bearer")


@probe
def probe_auth_no_effect(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]], headers={"Authorization": "Bearer not-a-token"})
    return _expect("invited after a refused invite", api.listed(event), [])


@probe
def probe_requests_list_auth(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect(
        "status", api.send("GET", f"/api/v2/event/{event}/request_subscribe/", None).status_code, 401
    )


@probe
def probe_manager_invites(api: ToyClient) -> str | None:
    return _expect("status", api.invite(api.new_event(), [api.ids[2]], who=1).status_code, 403)


@probe
def probe_manager_lists(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect("status", api.send("GET", f"/api/v2/event/{event}/invite/", 1).status_code, 403)


@probe
def probe_manager_withdraws(api: ToyClient) -> str | None:
    return _expect(
        "status", api.invite(api.new_event(), [api.ids[2]], who=1, method="DELETE").status_code, 403
    )


@probe
def probe_manager_sees_requests(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect("status", api.send("GET", f"/api/v2/event/{event}/request_subscribe/", 1).status_code, 403)


@probe
def probe_manager_keeps(api: ToyClient) -> str | None:
    event = api.new_event()
    api.subscribe(event, 0, method="DELETE")
    return _expect("status after leaving", api.invite(event, [api.ids[1]]).status_code, 204)


@probe
def probe_unknown_event(api: ToyClient) -> str | None:
    return _expect("status", api.invite(UNKNOWN_EVENT, [api.ids[1]]).status_code, 404)


@probe
def probe_nonnumeric_event(api: ToyClient) -> str | None:
    return _expect("status", api.invite("abc", [api.ids[1]]).status_code, 404)


@probe
def probe_overflow_event(api: ToyClient) -> str | None:
    return _expect("status", api.invite("9" * 25, [api.ids[1]]).status_code, 404)


@probe
def probe_invite_204(api: ToyClient) -> str | None:
    return _expect("status", api.invite(api.new_event(), [api.ids[1]]).status_code, 204)


@probe
def probe_invite_empty_body(api: ToyClient) -> str | None:
    response = api.invite(api.new_event(), [api.ids[1]])
    declared = response.headers.get("content-length", "0")
    return _expect("declared body length", (declared, response.headers.get("content-type")), ("0", None))


@probe
def probe_invite_listed(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]])
    return _expect("invited", api.listed(event), [api.ids[1]]) or _expect(
        "status", api.status(event, 1), "invited"
    )


@probe
def probe_invite_accepts(api: ToyClient) -> str | None:
    event = api.new_event()
    api.subscribe(event, 1)
    before = api.status(event, 1)
    api.invite(event, [api.ids[1]])
    return _expect("status before and after", (before, api.status(event, 1)), ("requested", "subscribed"))


@probe
def probe_subscriber_unchanged(api: ToyClient) -> str | None:
    event = api.new_event("public")
    api.subscribe(event, 1)
    api.invite(event, [api.ids[1]])
    return _expect("status", api.status(event, 1), "subscribed")


@probe
def probe_idempotent(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]])
    api.invite(event, [api.ids[1], api.ids[1]])
    return _expect("invited", api.listed(event), [api.ids[1]])


@probe
def probe_all_ids(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, api.ids[1:])
    return _expect("invited", sorted(api.listed(event)), sorted(api.ids[1:]))  # type: ignore[type-var]


@probe
def probe_invite_then_subscribe(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]])
    api.subscribe(event, 1)
    return _expect("status", api.status(event, 1), "subscribed")


@probe
def probe_withdraw(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]])
    api.invite(event, [api.ids[1]], method="DELETE")
    return _expect("invited after withdrawal", api.listed(event), []) or _expect(
        "status", api.status(event, 1), None
    )


def _invalid(api: ToyClient, body: object, content: bytes | None = None) -> str | None:
    event = api.new_event()
    path = f"/api/v2/event/{event}/invite/"
    if content is None:
        response = api.send("POST", path, json=body)
    else:
        response = api.send("POST", path, content=content, headers={"Content-Type": "application/json"})
    return _expect(f"status for {body!r}", response.status_code, 400) or _expect(
        "invited", api.listed(event), []
    )


@probe
def probe_users_required(api: ToyClient) -> str | None:
    return _invalid(api, {})


@probe
def probe_users_list(api: ToyClient) -> str | None:
    return _invalid(api, {"users": api.ids[1]})


@probe
def probe_item_types(api: ToyClient) -> str | None:
    # A numeric string ("5") may be read as the id or refused (contract rule 43): see probe_numeric_string.
    for item in ("abc", 1.5, True, None, {"id": api.ids[1]}):
        if problem := _invalid(api, {"users": [item]}):
            return problem
    return None


@probe
def probe_unknown_user(api: ToyClient) -> str | None:
    return _invalid(api, {"users": [UNKNOWN_USER]})


@probe
def probe_malformed_json(api: ToyClient) -> str | None:
    return _invalid(api, '{"users": [', content=b'{"users": [')


@probe
def probe_atomic(api: ToyClient) -> str | None:
    return _invalid(api, {"users": [api.ids[1], UNKNOWN_USER]})


def _form_invite(api: ToyClient, **kwargs: object) -> str | None:
    event = api.new_event()
    response = api.send("POST", f"/api/v2/event/{event}/invite/", **kwargs)
    return _expect("status", response.status_code, 204) or _expect(
        "invited",
        sorted(api.listed(event)),
        sorted(api.ids[1:3]),  # type: ignore[type-var]
    )


@probe
def probe_form(api: ToyClient) -> str | None:
    return _form_invite(api, data={"users": [str(i) for i in api.ids[1:3]]})


@probe
def probe_multipart(api: ToyClient) -> str | None:
    fields = [("users", (None, str(i))) for i in api.ids[1:3]]
    return _form_invite(api, files=fields)


@probe
def probe_manager_rejoins(api: ToyClient) -> str | None:
    event = api.new_event()
    api.subscribe(event, 0, method="DELETE")
    api.subscribe(event, 0)
    return _expect("manager's status after rejoining", api.status(event, 0), "subscribed")


@probe
def probe_many_invites(api: ToyClient) -> str | None:
    event = api.new_event()
    for user in api.ids[1:]:
        api.invite(event, [user])
    api.invite(event, [api.ids[1]], method="DELETE")
    api.invite(event, [api.ids[1]])
    return _expect("invited", sorted(api.listed(event)), sorted(api.ids[1:]))  # type: ignore[type-var]


@probe
def probe_leave_then_invited(api: ToyClient) -> str | None:
    event = api.new_event("public")
    api.subscribe(event, 1)
    api.subscribe(event, 1, method="DELETE")
    api.invite(event, [api.ids[1]])
    return _expect("status", api.status(event, 1), "invited")


def _event_body(**changes: object) -> dict[str, object]:
    """A valid POST event body, with `changes`."""
    body: dict[str, object] = {
        "name": "Created",
        "privacy": "public",
        "start_date": "2030-01-01T10:00:00Z",
        "end_date": "2030-01-01T12:00:00Z",
        "recurring": "never",
        "location": "virtual",
    }
    return body | changes


@probe
def probe_create_status(api: ToyClient) -> str | None:
    return _expect("status", api.send("POST", "/api/v2/event/", json=_event_body()).status_code, 201)


@probe
def probe_negative_offset(api: ToyClient) -> str | None:
    event = api.new_event()
    status = api.send("GET", f"/api/v2/event/{event}/subscribe/?offset=-1").status_code
    return None if status < 500 else f"status {status} for offset=-1"


@probe
def probe_pagination(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, api.ids[1:])
    return _expect("invited, one per page", sorted(api.listed(event, limit=1)), sorted(api.ids[1:]))  # type: ignore[type-var]


@probe
def probe_event_dates(api: ToyClient) -> str | None:
    event = api.send("GET", f"/api/v2/event/{api.new_event()}/").json()
    return _expect("start date", RFC3339.conforms(event["start_date"], "date-time"), True)


@probe
def probe_other_media_type(api: ToyClient) -> str | None:
    event = api.new_event()
    path = f"/api/v2/event/{event}/invite/"
    response = api.send("POST", path, content=f"users={api.ids[1]}", headers={"Content-Type": "text/plain"})
    return _expect("status", response.status_code, 415) or _expect("invited", api.listed(event), [])


@probe
def probe_unsubscribe_self_only(api: ToyClient) -> str | None:
    event = api.new_event("public")
    api.subscribe(event, 1)
    api.subscribe(event, 2)
    api.send("DELETE", f"/api/v2/event/{event}/subscribe/", 1, json={"user": api.ids[2]})
    return _expect(
        "statuses of caller and named user",
        (api.status(event, 1), api.status(event, 2)),
        (None, "subscribed"),
    )


@probe
def probe_private_list_closed(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect("status", api.send("GET", f"/api/v2/event/{event}/subscribe/", 1).status_code, 403)


@probe
def probe_private_list_anonymous(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect("status", api.send("GET", f"/api/v2/event/{event}/subscribe/", None).status_code, 401)


@probe
def probe_public_list_open(api: ToyClient) -> str | None:
    event = api.new_event("public")
    response = api.send("GET", f"/api/v2/event/{event}/subscribe/", None)
    return _expect("status", response.status_code, 200)


@probe
def probe_manager_removes(api: ToyClient) -> str | None:
    event = api.new_event()
    api.invite(event, [api.ids[1]])
    response = api.send("DELETE", f"/api/v2/event/{event}/subscribe/", 0, params={"user": api.ids[1]})
    return _expect(
        "answer, removed user's and manager's statuses",
        (response.status_code, api.status(event, 1), api.status(event, 0)),
        (204, None, "subscribed"),
    )


@probe
def probe_removal_manager_only(api: ToyClient) -> str | None:
    event = api.new_event("public")
    api.subscribe(event, 1)
    api.subscribe(event, 2)
    response = api.send("DELETE", f"/api/v2/event/{event}/subscribe/", 1, params={"user": api.ids[2]})
    return _expect(
        "answer and statuses of caller and named user",
        (response.status_code, api.status(event, 1), api.status(event, 2)),
        (403, "subscribed", "subscribed"),
    )


@probe
def probe_event_info_anonymous(api: ToyClient) -> str | None:
    event = api.new_event()
    return _expect("status", api.send("GET", f"/api/v2/event/{event}/", None).status_code, 200)


@probe
def probe_event_status(api: ToyClient) -> str | None:
    event = api.new_event()
    shown = api.send("GET", f"/api/v2/event/{event}/", 1).json().get("subscription_status", "(absent)")
    return _expect("subscription_status", shown, api.status(event, 1))


# Deterministic probes: what a client may send, and reads right after a write


def _invite_as(api: ToyClient, content_type: str) -> str | None:
    event = api.new_event()
    path = f"/api/v2/event/{event}/invite/"
    body = f'{{"users": [{api.ids[1]}]}}'
    response = api.send("POST", path, content=body, headers={"Content-Type": content_type})
    return _expect(f"status as {content_type}", response.status_code, 204) or _expect(
        "invited", api.listed(event), [api.ids[1]]
    )


def _no_5xx(what: str, response: httpx.Response) -> str | None:
    return None if response.status_code < 500 else f"{what}: status {response.status_code}"


def _joined_and_left(api: ToyClient) -> int:
    event = api.new_event("public")
    api.subscribe(event, 1)
    api.subscribe(event, 1, method="DELETE")
    return event


@probe
def probe_json_charset(api: ToyClient) -> str | None:
    return _invite_as(api, "application/json; charset=utf-8")


@probe
def probe_media_type_case(api: ToyClient) -> str | None:
    return _invite_as(api, "Application/JSON")


@probe
def probe_limit_boundary(api: ToyClient) -> str | None:
    event = api.new_event()
    return _no_5xx("limit=2^63", api.send("GET", f"/api/v2/event/{event}/subscribe/?limit={2**63}"))


@probe
def probe_offset_past_end(api: ToyClient) -> str | None:
    event = api.new_event()
    page = api.send("GET", f"/api/v2/event/{event}/subscribe/?offset=1000").json()
    return _expect("count past the end", page["count"], 1)


@probe
def probe_undocumented_method(api: ToyClient) -> str | None:
    status = api.send("PUT", f"/api/v2/event/{api.new_event()}/invite/", json={"users": []}).status_code
    return None if 400 <= status < 500 else f"PUT invite: status {status}"


@probe
def probe_allow_on_405(api: ToyClient) -> str | None:
    response = api.send("PATCH", f"/api/v2/event/{api.new_event()}/status/")
    return _expect("status", response.status_code, 405) or _expect("Allow", "allow" in response.headers, True)


@probe
def probe_bearer_case(api: ToyClient) -> str | None:
    response = api.send("GET", "/api/v2/user/me/", None, headers={"Authorization": f"bearer {TOKENS[1]}"})
    return _expect("status of `bearer TOKEN`", response.status_code, 200)


@probe
def probe_auth_spaces(api: ToyClient) -> str | None:
    headers = {"Authorization": f"Bearer   {TOKENS[1]}"}
    return _no_5xx("three spaces", api.send("GET", "/api/v2/user/me/", None, headers=headers))


@probe
def probe_repeated_auth(api: ToyClient) -> str | None:
    headers = [("Authorization", f"Bearer {TOKENS[1]}"), ("Authorization", "Bearer not-a-token")]
    return _no_5xx("two Authorization headers", api.http.get("/api/v2/user/me/", headers=headers))


@probe
def probe_numeric_string(api: ToyClient) -> str | None:
    return _no_5xx('users ["id"]', api.invite(api.new_event(), [str(api.ids[1])]))


@probe
def probe_huge_id(api: ToyClient) -> str | None:
    return _expect("status for 2^63", api.invite(api.new_event(), [2**63]).status_code, 400)


@probe
def probe_counter_after_leave(api: ToyClient) -> str | None:
    event = _joined_and_left(api)
    counter = api.send("GET", f"/api/v2/event/{event}/").json()["subscribers_counter"]
    return _expect("subscribers_counter", counter, 1)


@probe
def probe_status_after_leave(api: ToyClient) -> str | None:
    return _expect("status after leaving", api.status(_joined_and_left(api), 1), None)


@probe
def probe_event_status_after_leave(api: ToyClient) -> str | None:
    event = _joined_and_left(api)
    shown = api.send("GET", f"/api/v2/event/{event}/", 1).json().get("subscription_status")
    return _expect("subscription_status after leaving", shown, None)


@probe
def probe_subscribers_after_leave(api: ToyClient) -> str | None:
    event = _joined_and_left(api)
    return _expect("subscribers after leaving", api.listed(event, "subscribe"), [api.ids[0]])


@probe
def probe_withdraw_keeps_requests(api: ToyClient) -> str | None:
    event = api.new_event()
    api.subscribe(event, 1)
    api.invite(event, [api.ids[1]], method="DELETE")
    return _expect(
        "status of a user with a pending request after DELETE invite", api.status(event, 1), "requested"
    )


@probe
def probe_event_link(api: ToyClient) -> str | None:
    body = _event_body(link="")
    response = api.send("POST", "/api/v2/event/", json=body)
    answered = response.json().get("link") if response.status_code == 201 else None
    return f'link "" accepted and answered back as {answered!r}, which is no URI' if answered == "" else None


@probe
def probe_long_list(api: ToyClient) -> str | None:
    return _no_5xx("1,001 ids", api.invite(api.new_event(), [api.ids[1]] * 1_001))


# -- groups: the manager's direct subscription, and families kept apart ---------------------------------


def _new_group(api: ToyClient, privacy: str = "private") -> int:
    response = api.send("POST", "/api/v2/group/", json={"name": f"Toy {privacy} group", "privacy": privacy})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _group_status(api: ToyClient, group: int, who: int) -> object:
    return api.send("GET", f"/api/v2/group/{group}/status/", who).json()["status"]


def _subscribe_directly(api: ToyClient, group: int, users: list[object], who: int = 0) -> httpx.Response:
    return api.send("POST", f"/api/v2/group/{group}/subscribe/", who, json={"users": users})


@probe
def probe_direct_subscribe(api: ToyClient) -> str | None:
    group = _new_group(api)
    response = _subscribe_directly(api, group, [api.ids[1], api.ids[2]])
    statuses = [_group_status(api, group, who) for who in (0, 1, 2)]
    return _expect("answer", response.status_code, 204) or _expect("statuses", statuses, ["subscribed"] * 3)


@probe
def probe_direct_subscribe_manager_only(api: ToyClient) -> str | None:
    group = _new_group(api)
    response = _subscribe_directly(api, group, [api.ids[2]], who=1)
    return _expect("answer", response.status_code, 403) or _expect(
        "status", _group_status(api, group, 2), None
    )


@probe
def probe_direct_subscribe_atomic(api: ToyClient) -> str | None:
    group = _new_group(api)
    response = _subscribe_directly(api, group, [api.ids[1], UNKNOWN_USER])
    return _expect("answer", response.status_code, 400) or _expect(
        "status", _group_status(api, group, 1), None
    )


@probe
def probe_families_apart(api: ToyClient) -> str | None:
    group, event = _new_group(api), api.new_event("public")
    while group < event:
        group = _new_group(api)
    while event < group:
        event = api.new_event("public")
    api.subscribe(event, 1)
    return _expect("group status after joining the event with its id", _group_status(api, group, 1), None)


# -- courses: the creator and managers, who sees a course, joining's answer (docs/contract.md, 55-67) ---
# A course's readings (68-73) are each accepted: a hidden course is not found (404) or forbidden (403);
# a refused removal of the creator answers 400, 403 or 204 with the creator unchanged.

HIDDEN = (403, 404)
CREATOR_REFUSED = (204, 400, 403)


def _course(course: int, what: str = "") -> str:
    return f"/api/v2/course/{course}/{what}"


def _roles(api: ToyClient, course: int, who: int = 0, **lists: list[object]) -> httpx.Response:
    return api.send("POST", _course(course, "role/"), who, json=lists)


def _statuses(api: ToyClient, course: int, *users: int) -> list[object]:
    return [api.course_status(course, who) for who in users]


def _managed_by_user_1(api: ToyClient, privacy: str = "open") -> int:
    """A course whose creator (user 0) made user 1 a manager."""
    course = api.new_course(privacy)
    response = _roles(api, course, managers=[api.ids[1]])
    assert response.status_code == 204, response.text
    return course


@probe
def probe_course_create(api: ToyClient) -> str | None:
    response = api.send("POST", "/api/v2/course/", 1, json={"name": "Created course", "type": "structured"})
    if response.status_code != 201:
        return f"create answered {response.status_code}"
    body = response.json()
    return _expect(
        "privacy, join_status and status of the new course",
        (body.get("privacy"), body.get("join_status"), api.course_status(body["id"], 1)),
        ("", "creator", "creator"),
    )


@probe
def probe_course_creator_stays(api: ToyClient) -> str | None:
    course = api.new_course()
    response = api.send("DELETE", _course(course, "join/"), 0)
    return _expect(
        "answer and creator's status", (response.status_code, api.course_status(course, 0)), (403, "creator")
    )


@probe
def probe_course_creator_kept(api: ToyClient) -> str | None:
    course = _managed_by_user_1(api)
    answers = [
        api.send("DELETE", _course(course, "join/"), 1, params={"user": api.ids[0]}).status_code,
        *(_roles(api, course, 1, **{name: [api.ids[0]]}).status_code for name in ("unjoined", "joined")),
        _roles(api, course, 0, unjoined=[api.ids[0]]).status_code,
    ]
    if any(status not in CREATOR_REFUSED for status in answers):
        return f"removing or demoting the creator answered {answers}"
    return _expect("creator's status", api.course_status(course, 0), "creator")


@probe
def probe_course_promoted(api: ToyClient) -> str | None:
    course = _managed_by_user_1(api, "private")
    invited = api.send("POST", _course(course, "invite/"), 1, json={"users": [api.ids[2]]}).status_code
    requests = api.send("GET", _course(course, "request_join/"), 1).status_code
    return _expect(
        "promoted manager's status, invitation, its effect and request list",
        (api.course_status(course, 1), invited, api.course_status(course, 2), requests),
        ("manager", 204, "invited", 200),
    )


@probe
def probe_course_demoted(api: ToyClient) -> str | None:
    course = _managed_by_user_1(api)
    _roles(api, course, joined=[api.ids[1]])
    invited = api.send("POST", _course(course, "invite/"), 1, json={"users": [api.ids[2]]}).status_code
    return _expect(
        "demoted manager's status, invitation and its effect",
        (api.course_status(course, 1), invited, api.course_status(course, 2)),
        ("joined", 403, None),
    )


@probe
def probe_course_manager_leaves(api: ToyClient) -> str | None:
    course = _managed_by_user_1(api)
    left = api.send("DELETE", _course(course, "join/"), 1).status_code
    invited = api.send("POST", _course(course, "invite/"), 1, json={"users": [api.ids[2]]}).status_code
    return _expect(
        "answer to leaving, status, then invitation and its effect",
        (left, api.course_status(course, 1), invited, api.course_status(course, 2)),
        (204, None, 403, None),
    )


@probe
def probe_course_role_lists(api: ToyClient) -> str | None:
    course = api.new_course("private")
    api.send("POST", _course(course, "join/"), 1)  # requested
    api.send("POST", _course(course, "invite/"), 0, json={"users": [api.ids[2], api.ids[3]]})
    response = _roles(api, course, managers=[api.ids[1]], joined=[api.ids[2]], unjoined=[api.ids[3]])
    return _expect(
        "answer and statuses",
        (response.status_code, _statuses(api, course, 1, 2, 3)),
        (204, ["manager", "joined", None]),
    )


@probe
def probe_course_role_atomic(api: ToyClient) -> str | None:
    course = api.new_course()
    for lists in (
        {"managers": [api.ids[1]], "joined": [api.ids[2], UNKNOWN_USER]},
        {"joined": [api.ids[1], "abc"]},
        {},
    ):
        status = _roles(api, course, **lists).status_code
        if problem := _expect(
            f"answer and statuses for {lists}", (status, _statuses(api, course, 1, 2)), (400, [None, None])
        ):
            return problem
    return None


@probe
def probe_course_join_answer(api: ToyClient) -> str | None:
    answers = []
    for privacy, state in (("open", "joined"), ("private", "requested")):
        course = api.new_course(privacy)
        response = api.send("POST", _course(course, "join/"), 1)
        body = response.json() if response.status_code == 200 else {}
        answers.append((response.status_code, body.get("id") == course, body.get("join_status")))
        if problem := _expect(f"{privacy}: status", api.course_status(course, 1), state):
            return problem
    return _expect("answers", answers, [(200, True, "joined"), (200, True, "requested")])


@probe
def probe_course_hidden(api: ToyClient) -> str | None:
    for privacy in ("secret", ""):
        course = api.new_course(privacy)
        info = api.send("GET", _course(course), 1).status_code
        join = api.send("POST", _course(course, "join/"), 1).status_code
        if info not in HIDDEN or join not in HIDDEN:
            return f"{privacy or 'draft'} course: an outsider's info answered {info}, join {join}"
        seen = (api.course_status(course, 1), api.send("GET", _course(course), None).status_code)
        if problem := _expect(f"{privacy or 'draft'}: outsider's status, anonymous info", seen, (404, 401)):
            return problem
    course = api.new_course("secret")
    api.send("POST", _course(course, "invite/"), 0, json={"users": [api.ids[1]]})
    return _expect("invited user's info", api.send("GET", _course(course), 1).status_code, 200)


@probe
def probe_course_member_list_privacy(api: ToyClient) -> str | None:
    secret, opened = api.new_course("secret"), api.new_course("open")
    seen = (
        api.send("GET", _course(secret, "join/"), 1).status_code,
        api.send("GET", _course(secret, "join/"), None).status_code,
        api.send("GET", _course(opened, "join/"), None).status_code,
    )
    if seen[0] not in HIDDEN:
        return f"an outsider's GET join of a secret course answered {seen[0]}"
    return _expect("anonymous GET join of a secret and an open course", seen[1:], (401, 200))


@probe
def probe_course_lock_screen(api: ToyClient) -> str | None:
    """A non-member of a private course sees the lock screen: no property beyond Course Minimal's
    (reading 72)."""
    course = api.new_course("private")
    minimal = set(shipped().schema("CourseMinimal").get("properties", {}))
    shown = api.send("GET", _course(course), 1)
    beyond = sorted(set(shown.json()) - minimal) if shown.status_code == 200 else None
    return _expect("answer and properties beyond Course Minimal", (shown.status_code, beyond), (200, []))


@probe
def probe_course_manager_views(api: ToyClient) -> str | None:
    course = api.new_course()
    api.send("POST", _course(course, "join/"), 1)
    answers = [
        api.send("GET", _course(course), who, params=params).status_code
        for params in ({"view": "edit"}, {"view": "dashboard"}, {"user": api.ids[2]})
        for who in (1, 0, None)
    ]
    return _expect("member's, creator's and anonymous answers", answers, [403, 200, 401] * 3)


@probe
def probe_course_hide_member_count(api: ToyClient) -> str | None:
    course = api.new_course("open", hide_member_count=True)
    api.send("POST", _course(course, "join/"), 1)
    answers = [api.send("GET", _course(course, "join/"), who).status_code for who in (0, 1, 2, None)]
    return _expect("creator's, member's, outsider's and anonymous answers", answers, [200, 403, 403, 401])


@probe
def probe_course_statuses(api: ToyClient) -> str | None:
    course = _managed_by_user_1(api)
    api.send("POST", _course(course, "join/"), 2)
    path = _course(course, "join/")

    def listed(params: dict[str, object]) -> list[int]:
        """Every user on every page, following ``next``."""
        page = api.send("GET", path, 2, params=params).json()
        ids = [user["id"] for user in page["results"]]
        while page["next"]:
            page = api.send("GET", page["next"], 2).json()
            ids += [user["id"] for user in page["results"]]
        return sorted(ids)

    seen = (
        listed({}),
        listed({"statuses": "creator"}),
        listed({"statuses": ["creator", "manager", "joined"]}),
    )
    return _expect(
        "default, creator, every member", seen, (sorted(api.ids[1:3]), [api.ids[0]], sorted(api.ids[:3]))
    )


def _deleted(api: ToyClient, event: object, who: int = 0) -> httpx.Response:
    return api.send("DELETE", f"/api/v2/event/{event}/", who)


@probe
def probe_delete_204(api: ToyClient) -> str | None:
    response = _deleted(api, api.new_event())
    return _expect("status and body", (response.status_code, response.content), (204, b""))


@probe
def probe_deleted_gone(api: ToyClient) -> str | None:
    event = api.new_event()
    _deleted(api, event)
    answer = api.send("GET", f"/api/v2/event/{event}/status/", 0)
    return _expect("status of a deleted event", answer.status_code, 404)


@probe
def probe_delete_manager_only(api: ToyClient) -> str | None:
    event = api.new_event("public")
    return _expect("status", _deleted(api, event, who=1).status_code, 403) or _expect(
        "status after a refused delete", api.send("GET", f"/api/v2/event/{event}/status/", 0).status_code, 200
    )


@probe
def probe_delete_unknown(api: ToyClient) -> str | None:
    return _expect("status", _deleted(api, UNKNOWN_EVENT).status_code, 404)
