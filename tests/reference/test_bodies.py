"""Request bodies of POST/DELETE invite: media types, validation as a whole, limits."""

from __future__ import annotations

import json

import pytest

from tests.reference.conftest import EVENTS, People, SpecClient

BAD_USERS_VALUES = [
    pytest.param(["abc"], id="string"),
    pytest.param([1.0], id="float"),
    pytest.param([1.5], id="fraction"),
    pytest.param([True], id="boolean"),
    pytest.param([None], id="null"),
    pytest.param([{}], id="object"),
    pytest.param([[1]], id="nested list"),
    pytest.param("1", id="not a list"),
    pytest.param(1, id="bare integer"),
    pytest.param(None, id="null list"),
    pytest.param({"1": 1}, id="object list"),
]


@pytest.fixture
def event(api: SpecClient, people: People) -> int:
    event = api.create_event(people.manager)
    api.post(f"{EVENTS}{event}/subscribe/", user=people.asker)
    return event


def _unchanged(api: SpecClient, people: People, event: int) -> None:
    assert api.status(event, people.asker) == "requested"
    assert api.status(event, people.alice) is None
    assert api.listed(event, "invite", people.manager) == []


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("users", BAD_USERS_VALUES)
def test_bad_ids_are_400_and_change_nothing(
    api: SpecClient, people: People, event: int, method: str, users: object
) -> None:
    # A good id sits next to each bad one: all or nothing.
    body = {"users": [people.id(people.alice), *users]} if isinstance(users, list) else {"users": users}
    response = api.request(method, f"{EVENTS}{event}/invite/", user=people.manager, json=body)
    assert response.status_code == 400
    _unchanged(api, people, event)


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("body", [{}, {"user": [1]}, [], [1], "users", 1, None])
def test_missing_users_is_400(api: SpecClient, people: People, event: int, method: str, body: object) -> None:
    response = api.request(
        method, f"{EVENTS}{event}/invite/", user=people.manager, content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 400
    _unchanged(api, people, event)


def test_unknown_user_ids_are_400_and_change_nothing(api: SpecClient, people: People, event: int) -> None:
    for unknown in (10**12, 2**63 - 1, 2**63, 2**70, 0, -5):
        response = api.invite(
            event, people.manager, [people.id(people.asker), people.id(people.alice), unknown]
        )
        assert response.status_code == 400
        assert str(unknown) in response.json()["detail"]
        _unchanged(api, people, event)


def test_duplicate_ids_count_once(api: SpecClient, people: People, event: int) -> None:
    alice = people.id(people.alice)
    assert api.invite(event, people.manager, [alice, alice, alice]).status_code == 204
    assert api.listed(event, "invite", people.manager) == [alice]


def test_empty_list_is_204_and_changes_nothing(api: SpecClient, people: People, event: int) -> None:
    assert api.invite(event, people.manager, []).status_code == 204
    response = api.delete(f"{EVENTS}{event}/invite/", user=people.manager, json={"users": []})
    assert response.status_code == 204
    _unchanged(api, people, event)


def test_form_urlencoded_repeats_the_key(api: SpecClient, people: People, event: int) -> None:
    asker, alice = people.id(people.asker), people.id(people.alice)
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=f"users={asker}&users={alice}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 204
    assert api.status(event, people.asker) == "subscribed"
    assert api.status(event, people.alice) == "invited"


@pytest.mark.parametrize(
    ("media_type", "content"),
    [
        ("Application/JSON", '{{"users": [{id}]}}'),
        ("APPLICATION/JSON; Charset=UTF-8", '{{"users": [{id}]}}'),
        ("Application/X-WWW-Form-Urlencoded", "users={id}"),
    ],
)
def test_media_types_are_case_insensitive(
    api: SpecClient, people: People, event: int, media_type: str, content: str
) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=content.format(id=people.id(people.alice)),
        headers={"Content-Type": media_type},
    )  # fmt: skip
    assert response.status_code == 204, response.text
    assert api.status(event, people.alice) == "invited"


def test_form_urlencoded_single_value(api: SpecClient, people: People, event: int) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, data={"users": str(people.id(people.alice))}
    )
    assert response.status_code == 204
    assert api.status(event, people.alice) == "invited"


@pytest.mark.parametrize("value", ["abc", "1.0", "", "true", "1e3"])
def test_form_urlencoded_non_integer_is_400(api: SpecClient, people: People, event: int, value: str) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager,
        content=f"users={people.id(people.alice)}&users={value}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 400
    _unchanged(api, people, event)


def test_multipart(api: SpecClient, people: People, event: int) -> None:
    ids = [str(people.id(people.asker)), str(people.id(people.alice))]
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, files=[("users", (None, value)) for value in ids]
    )
    assert response.status_code == 204
    assert api.status(event, people.asker) == "subscribed"
    assert api.status(event, people.alice) == "invited"
    withdraw = api.delete(f"{EVENTS}{event}/invite/", user=people.manager, files=[("users", (None, ids[1]))])
    assert withdraw.status_code == 204
    assert api.status(event, people.alice) is None


def test_multipart_non_integer_is_400(api: SpecClient, people: People, event: int) -> None:
    response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, files=[("users", (None, "abc"))])
    assert response.status_code == 400
    _unchanged(api, people, event)


@pytest.mark.parametrize("content", [b"{", b'{"users": [1,]}', b"\xff\xfe", b"users=1", b""])
def test_malformed_json_is_400(api: SpecClient, people: People, event: int, content: bytes) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=content,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 400
    _unchanged(api, people, event)


@pytest.mark.parametrize("media_type", ["text/plain", "application/xml", "application/octet-stream"])
def test_other_media_types_are_415(api: SpecClient, people: People, event: int, media_type: str) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=b'{"users": []}',
        headers={"Content-Type": media_type},
    )  # fmt: skip
    assert response.status_code == 415
    _unchanged(api, people, event)


def test_body_over_one_mebibyte_is_413(api: SpecClient, people: People, event: int) -> None:
    padding = " " * (1024 * 1024)
    content = f'{{"users": [{people.id(people.alice)}]{padding}}}'.encode()
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=content,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    _unchanged(api, people, event)


def test_chunked_body_over_one_mebibyte_is_413(api: SpecClient, people: People, event: int) -> None:
    def chunks():  # no Content-Length: the server has to count
        yield b'{"users": ['
        for _ in range(1100):
            yield b"1," * 512
        yield b"1]}"

    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=chunks(),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    _unchanged(api, people, event)


def test_more_than_ten_thousand_ids_is_400(api: SpecClient, people: People, event: int) -> None:
    response = api.invite(event, people.manager, [people.id(people.alice)] * 10_001)
    assert response.status_code == 400
    assert "at most 10000" in response.json()["detail"]
    _unchanged(api, people, event)


@pytest.mark.parametrize(
    ("media_type", "content"),
    [
        pytest.param("application/json", b"[" * 200_000, id="json nested too deep"),
        pytest.param("application/json", b'{"users": [1e999]}', id="json infinite number"),
        pytest.param("application/json", b'{"users": [NaN]}', id="json NaN"),
        pytest.param("application/x-www-form-urlencoded", b"users=%ff%fe", id="form invalid utf-8"),
        pytest.param("application/x-www-form-urlencoded", b"\xff=\xfe", id="form raw bytes"),
        pytest.param("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage", id="multipart broken"),
        pytest.param("multipart/form-data", b"users=1", id="multipart without boundary"),
    ],
)
def test_undecodable_bodies_are_400(
    api: SpecClient, people: People, event: int, media_type: str, content: bytes
) -> None:
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=content, headers={"Content-Type": media_type}
    )
    assert response.status_code == 400
    _unchanged(api, people, event)


def test_json_sent_as_a_form_gets_a_helpful_400(api: SpecClient, people: People, event: int) -> None:
    # What the seed page's example request does: JSON text under the form media type.
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=f'{{"users": [{people.id(people.alice)}]}}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.json()["detail"]
    _unchanged(api, people, event)


@pytest.mark.parametrize(
    "media_type", ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_longest_accepted_list_in_every_media_type(
    api: SpecClient, people: People, event: int, media_type: str
) -> None:
    ids = [people.id(people.alice)] * 10_000  # duplicates count once, but the list is as long as allowed
    if media_type == "application/json":
        response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, json={"users": ids})
    elif media_type == "multipart/form-data":
        fields = [("users", (None, str(user_id))) for user_id in ids]
        response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, files=fields)
    else:
        response = api.post(
            f"{EVENTS}{event}/invite/", user=people.manager, data={"users": [str(i) for i in ids]}
        )
    assert response.status_code == 204, response.text
    assert api.status(event, people.alice) == "invited"


@pytest.mark.parametrize(
    "media_type", ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_overlong_lists_are_refused_before_validation(
    api: SpecClient, people: People, event: int, media_type: str
) -> None:
    if media_type == "application/json":
        content, headers = b'{"users": [' + b"1," * 500_000 + b"1]}", {"Content-Type": media_type}
        response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, content=content, headers=headers)
    elif media_type == "multipart/form-data":
        fields = [("users", (None, "1"))] * 10_200  # under 1 MiB, over the field limit
        response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, files=fields)
    else:
        content, headers = b"users=1&" * 120_000, {"Content-Type": media_type}
        response = api.post(f"{EVENTS}{event}/invite/", user=people.manager, content=content, headers=headers)
    assert response.status_code == 400
    _unchanged(api, people, event)


def test_chunked_body_is_read(api: SpecClient, people: People, event: int) -> None:
    # A list of chunks is sent with Transfer-Encoding: chunked and no Content-Length.
    chunks = [b'{"users": [', str(people.id(people.alice)).encode(), b"]}"]
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=chunks,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 204, response.text
    assert api.status(event, people.alice) == "invited"


def test_integer_too_long_for_python_is_400(api: SpecClient, people: People, event: int) -> None:
    content = b'{"users": [' + b"9" * 5_000 + b"]}"
    response = api.post(
        f"{EVENTS}{event}/invite/", user=people.manager, content=content,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 400
    _unchanged(api, people, event)
