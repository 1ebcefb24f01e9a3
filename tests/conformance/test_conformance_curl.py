"""Failure evidence is a curl command that sends exactly the recorded request."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest

from conformance.exchange import render_curl

BODIES = [
    b'{"users": [1, 2]}',
    b"users=1&users=2",
    b'it\'s $(not) `run` "here" \\ %s',
    b'--b\r\nContent-Disposition: form-data; name="users"\r\n\r\n7\r\n--b--\r\n',
    b"\xad\x8dZ not utf-8",
    "caf\u00e9 \u2028 line separator".encode(),
    b"nul \x00 inside",
]


def bash_output(script: str) -> bytes:
    return subprocess.run(["bash", "-c", script], capture_output=True, check=True).stdout


@pytest.mark.parametrize("body", BODIES)
def test_body_survives_the_shell_byte_for_byte(body: bytes) -> None:
    command = render_curl("POST", "http://127.0.0.1:1/api/v2/event/1/invite/", [], body)
    if " | curl " in command:
        producer = command.split(" | curl ")[0]
        assert bash_output(producer) == body
        assert command.endswith("--data-binary @-")
    else:
        argument = command.split(" --data-binary ", 1)[1]
        assert bash_output(f"printf '%s' {argument}") == body


def test_method_url_and_headers_are_kept_and_transport_headers_dropped() -> None:
    headers = [
        ("Host", "127.0.0.1:8000"),
        ("Content-Length", "17"),
        ("Authorization", "Bearer abc.def"),
        ("Content-Type", "application/json"),
        ("X-Odd", "it's"),
    ]
    command = render_curl("DELETE", "http://127.0.0.1:8000/api/v2/event/7/invite/?a=1&b=2", headers, b"{}")
    argv = shlex.split(command)
    assert argv[:5] == ["curl", "-i", "-X", "DELETE", "http://127.0.0.1:8000/api/v2/event/7/invite/?a=1&b=2"]
    sent = [argv[i + 1] for i, part in enumerate(argv) if part == "-H"]
    assert sent == ["Authorization: Bearer abc.def", "Content-Type: application/json", "X-Odd: it's"]
    assert argv[-2:] == ["--data-binary", "{}"]


def test_no_body_no_data_flag() -> None:
    assert "--data-binary" not in render_curl("GET", "http://h/x", {"Accept": "application/json"}, b"")


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl binary")
def test_rendered_command_reproduces_the_request(reference_server, tokens: list[str]) -> None:
    """Run the curl command the suite would print and get the answer the suite recorded."""
    from conformance.client import Client

    client = Client(reference_server.base_url)
    try:
        exchange = client.request(
            "POST", "/api/v2/event/2147480000/invite/", token=tokens[0], json_body={"users": [1]}
        )
    finally:
        client.close()
    assert exchange.status == 404
    output = bash_output(exchange.curl() + " -sS").decode()
    assert output.startswith("HTTP/1.1 404")
