"""One HTTP/1.1 exchange over a bare socket, to see bytes that HTTP clients discard.

Every HTTP client (httpx, curl, browsers) drops the body of a 204 by definition (RFC 9110 §6.4.1),
so a server that sends one anyway can only be caught by reading the connection itself.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

from .exchange import Exchange

READ_TIMEOUT_S = 5.0


def raw_exchange(method: str, url: str, headers: dict[str, str], body: bytes) -> Exchange:
    """Send the request with `Connection: close` and read everything until the server closes."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    all_headers = {"Host": parts.netloc, **headers, "Content-Length": str(len(body)), "Connection": "close"}
    head = (
        f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items()) + "\r\n"
    )
    exchange = Exchange(method=method, url=url, request_headers=list(all_headers.items()), request_body=body)
    received = b""
    with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=READ_TIMEOUT_S) as plain:
        sock: socket.socket = plain
        if parts.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(plain, server_hostname=parts.hostname)
        sock.sendall(head.encode("latin-1") + body)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
    header_block, _, rest = received.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    exchange.status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else None
    exchange.response_headers = [
        (name.strip(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:])
        if name
    ]
    exchange.response_body = rest
    return exchange
