"""HTTP/1.1 exchanges over kept-alive connections: the wire under the suite's client (client.py).

A quick run sends a few thousand requests per family, one at a time, so what the client spends on each
adds straight to the run's wall time. The standard library's `http.client` sends and parses HTTP/1.1 at
about a sixth of httpx's CPU per request and a half of urllib3's (`python -m bench.client_send` measures
it); what it leaves to its caller is written here, after httpx's behaviour, so that the suite's requests
and evidence are the ones it has always sent and kept:

- one kept-alive connection per origin, dropped when the server closed it while idle (the readable-socket
  check of httpcore and urllib3), when the answer says it closes, or after any error;
- the body decoded as the `Content-Encoding` says (gzip, deflate: what the client's `Accept-Encoding`
  offers), a body that does not decode being a transport error, as for httpx;
- the proxies of the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`), as httpx's `trust_env`, and
  its certificate store for TLS;
- redirects never followed: a 3xx is the answer a check judges.
"""

from __future__ import annotations

import codecs
import http.client
import select
import socket
import ssl
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import httpx


class TransportError(Exception):
    """No answer: the connection failed, timed out or carried something that is not HTTP/1.1."""


@dataclass(frozen=True)
class Answer:
    """The answer as received (before any masking): what a judge of the response itself reads."""

    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    """Lower-cased names, repeated headers joined by ", " (httpx's `Headers.items()`)."""
    content: bytes
    """The body, decoded as its `Content-Encoding` says."""

    @property
    def encoding(self) -> str:
        """The charset its `Content-Type` names when Python knows it, else UTF-8 (httpx's `encoding`)."""
        for name, value in self.headers:
            if name != "content-type":
                continue
            for parameter in value.split(";")[1:]:
                key, _, charset = parameter.partition("=")
                if key.strip().lower() == "charset":
                    charset = charset.strip().strip("\"'")
                    try:
                        codecs.lookup(charset)
                    except LookupError:
                        return "utf-8"
                    return charset
        return "utf-8"


Origin = tuple[str, str, int]


class Connections:
    """The kept-alive connections of one client, one per origin (scheme, host, port)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._open: dict[Origin, _Plain | _TLS] = {}

    def close(self) -> None:
        for connection in self._open.values():
            connection.close()
        self._open.clear()

    def exchange(self, method: str, url: httpx.URL, headers: list[tuple[str, str]], body: bytes) -> Answer:
        """Send one request (`headers` in this order, as written) and read the whole answer."""
        origin = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        connection, proxied = self._connection(origin)
        target = str(url) if proxied else url.raw_path.decode("ascii")
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value.encode("ascii"))
            connection.body = body
            connection.endheaders()
            response = connection.getresponse()
            raw = response.read()
            merged: dict[str, str] = {}
            for name, value in response.getheaders():
                key = name.lower()
                merged[key] = f"{merged[key]}, {value}" if key in merged else value
            content = decode(raw, merged.get("content-encoding", ""))
        except (OSError, http.client.HTTPException, ValueError, zlib.error) as exc:
            self._drop(origin)
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc
        if response.will_close:
            self._drop(origin)
        version = "1.0" if response.version == 10 else "1.1"
        return Answer(response.status, response.reason, version, list(merged.items()), content)

    def _connection(self, origin: Origin) -> tuple[_Plain | _TLS, bool]:
        """The origin's open connection, unless the server closed it meanwhile; else a new one."""
        connection = self._open.get(origin)
        if connection is not None and connection.sock is not None and not _readable(connection.sock):
            return connection, connection_is_proxied(connection, origin)
        self._drop(origin)
        connection = self._open[origin] = open_connection(origin, self.timeout)
        return connection, connection_is_proxied(connection, origin)

    def _drop(self, origin: Origin) -> None:
        connection = self._open.pop(origin, None)
        if connection is not None:
            connection.close()


def _readable(sock: socket.socket) -> bool:
    """An idle kept-alive socket that is readable was closed by the server (or sent what nobody asked)."""
    return bool(select.select([sock], [], [], 0)[0])


def connection_is_proxied(connection: http.client.HTTPConnection, origin: Origin) -> bool:
    """A plain-HTTP request through a proxy names the whole URL (absolute form)."""
    return origin[0] == "http" and (connection.host, connection.port) != (origin[1], origin[2])


class _Sending:
    """A request leaves in one write, head and body together (one segment, one wake-up of the server),
    and at once: request and answer, never a stream, so Nagle's delay is off (TCP_NODELAY, as urllib3)."""

    body = b""
    """The body of the request being sent: `endheaders()`'s one `send` carries it after the head."""

    def connect(self: Any) -> None:
        super().connect()  # type: ignore[misc]
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self: Any, data: Any) -> None:
        data, self.body = bytes(data) + self.body, b""
        super().send(data)  # type: ignore[misc]


class _Plain(_Sending, http.client.HTTPConnection):
    pass


class _TLS(_Sending, http.client.HTTPSConnection):
    pass


def open_connection(origin: Origin, timeout: float) -> _Plain | _TLS:
    """A connection to `origin`, through the environment's proxy for its scheme unless NO_PROXY spares it."""
    scheme, host, port = origin
    proxy = None if proxy_bypass(host) else getproxies().get(scheme)
    if scheme == "https":
        if proxy:
            parts = urlsplit(proxy)
            tunnel = _TLS(parts.hostname or "", parts.port or 80, timeout=timeout, context=tls())
            tunnel.set_tunnel(host, port)
            return tunnel
        return _TLS(host, port, timeout=timeout, context=tls())
    if proxy:
        parts = urlsplit(proxy)
        return _Plain(parts.hostname or "", parts.port or 80, timeout=timeout)
    return _Plain(host, port, timeout=timeout)


@cache
def tls() -> ssl.SSLContext:
    """httpx's TLS context: its certificate store, or SSL_CERT_FILE / SSL_CERT_DIR when set."""
    return httpx.create_ssl_context()


def decode(content: bytes, encodings: str) -> bytes:
    """`content` undone of each encoding httpx decodes, last applied first; others are left as they are."""
    for encoding in reversed([part.strip().lower() for part in encodings.split(",") if part.strip()]):
        if encoding == "gzip":
            content = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(content)
        elif encoding == "deflate":
            try:  # zlib-wrapped, as RFC 9110 says; some servers send raw deflate
                content = zlib.decompressobj().decompress(content)
            except zlib.error:
                content = zlib.decompressobj(-zlib.MAX_WBITS).decompress(content)
    return content
