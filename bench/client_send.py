"""The conformance client's CPU per request: `Client.request` against a canned local server.

A quick conformance run sends some 3,000 requests per family, one at a time, so the client's own cost
per request adds straight to the run's wall time. This measures it as CPU time of this process divided
by requests (the server is another process), beside the floor of a bare keep-alive `http.client`
connection and of a bare `httpx.Client` (what the suite's client was built on before) sending the same
bytes. ``python -m bench.client_send [--requests N]`` prints the numbers;
``python -m bench --only client-send`` puts them in the table.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from typing import Any

import click
import httpx

from conformance.client import Client
from conformance.credentials import Credentials
from testkit.processes import ServerProcess, free_port, python_module

TOKENS = ["bench-token-1", "bench-token-2", "bench-token-3"]
PATH = "/api/v2/event/7/invite/"
BODY = {"users": [2, 3]}
Row = dict[str, Any]


def canned_server() -> ServerProcess:
    port = free_port()
    return ServerProcess(python_module("bench.canned_server", str(port)), port)


def cpu_per_request(send: Callable[[], object], requests: int) -> float:
    """Milliseconds of this process' CPU per call of `send`, after a warm-up."""
    for _ in range(min(200, requests)):
        send()
    started = time.process_time()
    for _ in range(requests):
        send()
    return (time.process_time() - started) * 1000 / requests


def measure(base_url: str, requests: int) -> dict[str, float]:
    """CPU ms per request: the suite's client (a JSON POST with a masked token, and a GET), and the floor."""
    client = Client(base_url, credentials=Credentials(TOKENS))
    try:

        def post() -> object:
            exchange = client.request("POST", PATH, token=TOKENS[0], json_body=BODY)
            client.exchanges.clear()  # a run keeps them all; here the list would only grow
            return exchange

        def get() -> object:
            exchange = client.request("GET", PATH, token=TOKENS[1], params={"limit": 5})
            client.exchanges.clear()
            return exchange

        suite_post = cpu_per_request(post, requests)
        suite_get = cpu_per_request(get, requests)
    finally:
        client.close()
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port))
    payload = json.dumps(BODY).encode()
    headers = {"Authorization": f"Bearer {TOKENS[0]}", "Content-Type": "application/json"}

    def bare() -> object:
        connection.request("POST", PATH, body=payload, headers=headers)
        return connection.getresponse().read()

    try:
        floor = cpu_per_request(bare, requests)
    finally:
        connection.close()
    with httpx.Client(base_url=base_url) as former_client:  # what the suite used before: a yardstick
        former = cpu_per_request(
            lambda: former_client.post(PATH, content=payload, headers=headers).content, requests
        )
    return {
        "suite_post_ms": suite_post,
        "suite_get_ms": suite_get,
        "http_client_ms": floor,
        "httpx_ms": former,
    }


def client_send_row(requests: int = 3000) -> Row:
    with canned_server() as server:
        numbers = measure(server.base_url, requests)
    return {
        "name": "conformance client: CPU per request (canned local server)",
        "value": f"{numbers['suite_post_ms']:.3f} ms",
        "details": f"POST JSON {numbers['suite_post_ms']:.3f} ms, GET {numbers['suite_get_ms']:.3f} ms; "
        f"bare: http.client {numbers['http_client_ms']:.3f} ms, httpx.Client {numbers['httpx_ms']:.3f} ms; "
        f"{requests:,} requests each",
        "raw": {**numbers, "requests": requests},
    }


@click.command()
@click.option("--requests", type=int, default=3000, show_default=True)
def main(requests: int) -> None:
    """Print the client's CPU per request."""
    row = client_send_row(requests)
    click.echo(f"{row['name']}: {row['details']}")


if __name__ == "__main__":
    main()
