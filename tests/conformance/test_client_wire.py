"""The client's wire (conformance/transport.py): requests sent and recorded as the suite always recorded
them (httpx's header order and defaults), answers read whole, tokens masked, failures kept as evidence."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conformance.client import USER_AGENT, Client, TransportFailure
from conformance.credentials import Credentials

TOKENS = ["wire-token-1", "wire-token-2"]


class Echo(BaseHTTPRequestHandler):
    """Answers with what it received: the header lines in order, the target and the body."""

    protocol_version = "HTTP/1.1"

    def answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        seen = {"headers": [list(line) for line in self.headers.items()], "target": self.path}
        payload = json.dumps({**seen, "body": body.decode("latin-1")}).encode()
        encoding = self.headers.get("X-Encode")
        if encoding == "gzip":
            payload = gzip.compress(payload)
        elif encoding == "deflate":
            payload = zlib.compress(payload)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Twice", "a")
        self.send_header("x-twice", "b")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def client(echo_url: str) -> Iterator[Client]:
    client = Client(echo_url, credentials=Credentials(TOKENS))
    yield client
    client.close()


def test_a_json_request_is_sent_and_kept_in_httpx_order(client: Client, echo_url: str) -> None:
    host = echo_url.removeprefix("http://")
    exchange = client.request("POST", "/a/", token=TOKENS[1], json_body={"users": [1]})
    assert exchange.request_headers == [
        ("host", host),
        ("accept-encoding", "gzip, deflate"),
        ("connection", "keep-alive"),
        ("user-agent", USER_AGENT),
        ("accept", "application/json"),
        ("authorization", "Bearer $TOKEN_2"),
        ("content-type", "application/json"),
        ("content-length", "14"),
    ]
    seen = json.loads(client.exchanges[-1].response_body)
    # The server got the same lines in the same order, names as written, the real token.
    assert [name for name, _ in seen["headers"]] == [
        "Host", "Accept-Encoding", "Connection", "User-Agent", "Accept", "Authorization", "Content-Type",
        "Content-Length",
    ]  # fmt: skip
    assert seen["body"] == '{"users": [1]}' and exchange.request_body == b'{"users": [1]}'
    assert exchange.variables == ("TOKEN_2",)
    assert exchange.curl().endswith(
        "-H \"authorization: Bearer $TOKEN_2\" -H 'content-type: application/json' "
        "--data-binary '{\"users\": [1]}'"
    )
    # Repeated answer headers are joined, names lower-cased (httpx's items()).
    assert ("x-twice", "a, b") in exchange.response_headers


def test_a_post_without_body_says_content_length_zero_first(client: Client) -> None:
    exchange = client.request("POST", "/join/", token=TOKENS[0])
    assert [name for name, _ in exchange.request_headers][:2] == ["host", "content-length"]
    assert dict(exchange.request_headers)["content-length"] == "0"


def test_repeated_headers_follow_the_others(client: Client) -> None:
    exchange = client.request(
        "GET", "/me/", authorization=f"Bearer {TOKENS[0]}", repeated=[("Authorization", "Bearer other")]
    )
    names = [name for name, _ in exchange.request_headers]
    assert names[-2:] == ["authorization", "authorization"]
    seen = json.loads(exchange.response_body)
    assert [value for name, value in seen["headers"] if name == "Authorization"] == [
        "Bearer $TOKEN_1",  # the echo masked like the rest of the answer
        "Bearer other",
    ]


def test_params_are_encoded_as_httpx_encodes_them(client: Client, echo_url: str) -> None:
    exchange = client.request("GET", "/list/", params={"limit": 1, "x": "a b", "ids": [1, 2], "on": True})
    assert exchange.url == f"{echo_url}/list/?limit=1&x=a+b&ids=1&ids=2&on=true"
    merged = client.request("GET", "/list/?limit=5&offset=5", params={"limit": 2})
    assert merged.url == f"{echo_url}/list/?limit=2&offset=5"
    assert json.loads(merged.response_body)["target"] == "/list/?limit=2&offset=5"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_an_encoded_answer_is_kept_decoded(client: Client, encoding: str) -> None:
    exchange = client.request("GET", "/x/", headers={"X-Encode": encoding})
    assert json.loads(exchange.response_body)["target"] == "/x/"


def test_many_requests_share_one_connection(client: Client) -> None:
    for _ in range(5):
        assert client.request("GET", "/again/").status == 200
    assert len(client._connections._open) == 1


def test_no_answer_is_a_transport_failure_kept_as_evidence() -> None:
    client = Client("http://127.0.0.1:9", credentials=Credentials(TOKENS))
    with pytest.raises(TransportFailure) as failure:
        client.request("GET", "/x/", token=TOKENS[0])
    assert client.exchanges == [failure.value.exchange]
    assert failure.value.exchange.status is None
    assert "Connection refused" in (failure.value.exchange.error or "")
    assert dict(failure.value.exchange.request_headers)["authorization"] == "Bearer $TOKEN_1"
