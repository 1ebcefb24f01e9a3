"""An httpx client that records every exchange, counts requests and renders them as curl commands."""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx

from .throttling import MAX_RETRIES, TOO_MANY_REQUESTS, retry_after

USER_AGENT = "selfcommunity-event-conformance"
# Headers curl sets on its own; repeating them in a reproduction only adds noise.
_CURL_IMPLIED = {"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"}
_BODY_PREVIEW = 2000

UNSET: Any = object()


@dataclass
class Exchange:
    """One request as sent and the answer as received (or the transport error)."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.response_headers:
            if key.lower() == name.lower():
                return value
        return None

    def has_header(self, name: str) -> bool:
        return self.header(name) is not None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.response_body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.response_body)

    def json_or_none(self) -> Any:
        try:
            return self.json()
        except ValueError:
            return None

    def curl(self) -> str:
        return render_curl(self.method, self.url, self.request_headers, self.request_body)

    def response_summary(self) -> str:
        """Status line, headers and (a preview of) the body, as a reader expects to see an HTTP answer."""
        if self.status is None:
            return f"(no response: {self.error})"
        reason = HTTPStatus(self.status).phrase if self.status in HTTPStatus._value2member_map_ else ""
        lines = [f"HTTP {self.status} {reason}".rstrip()]
        lines += [f"{key}: {value}" for key, value in self.response_headers]
        body = self.text
        if len(body) > _BODY_PREVIEW:
            body = body[:_BODY_PREVIEW] + f"… ({len(self.response_body)} bytes)"
        if body:
            lines += ["", body]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "curl": self.curl(),
            "method": self.method,
            "url": self.url,
            "request_headers": dict(self.request_headers),
            "request_body": self.request_body.decode("utf-8", errors="replace"),
            "status": self.status,
            "response_headers": dict(self.response_headers),
            "response_body": self.text[:_BODY_PREVIEW],
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "error": self.error,
        }


def _quote(value: str) -> str:
    """Shell-quote; bytes a POSIX single-quoted string cannot hold use bash's $'…' form."""
    if value.isprintable() and not any(0xDC80 <= ord(char) <= 0xDCFF for char in value):
        return shlex.quote(value)
    escaped = []
    for char in value:
        if char == "\\":
            escaped.append("\\\\")
        elif char == "'":
            escaped.append("\\'")
        elif 0xDC80 <= ord(char) <= 0xDCFF:  # a byte that is not UTF-8, kept by surrogateescape
            escaped.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char.isprintable():
            escaped.append(char)
        else:  # control and other unprintable characters: their UTF-8 bytes, independent of the locale
            escaped.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8"))
    return "$'" + "".join(escaped) + "'"


def render_curl(
    method: str, url: str, headers: list[tuple[str, str]] | Mapping[str, str], body: bytes
) -> str:
    """A copy-paste curl command sending exactly this request (method, URL, headers, body bytes)."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    parts = ["curl", "-i", "-X", method.upper(), _quote(url)]
    for name, value in items:
        if name.lower() in _CURL_IMPLIED:
            continue
        parts += ["-H", _quote(f"{name}: {value}")]
    if b"\x00" in body:
        # No shell argument can hold a NUL byte: the body goes through a pipe instead.
        return f"printf '%b' {_printf_escape(body)} | " + " ".join([*parts, "--data-binary", "@-"])
    if body:
        parts += ["--data-binary", _quote(body.decode("utf-8", errors="surrogateescape"))]
    return " ".join(parts)


def _printf_escape(body: bytes) -> str:
    """`body` as a single-quoted printf %b argument: octal escapes for every byte outside printable ASCII."""
    out = []
    for byte in body:
        if byte == 0x5C:
            out.append("\\\\")
        elif byte == 0x27:
            out.append("\\047")
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\0{byte:03o}")
    return "'" + "".join(out) + "'"


class Client:
    """httpx.Client against one base URL; every exchange is kept for the reports.

    Every request leaves through `_send`, which keeps its exchange; `request_count` is the number kept, so
    the evidence and the count cannot disagree. A throttled answer (429) is waited out and the request
    sent again (throttling.py); those attempts are kept apart, in `throttled`, and not judged.
    """

    def __init__(self, base_url: str, *, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.exchanges: list[Exchange] = []
        self.throttled: list[Exchange] = []
        """Answers of 429 that were waited out and retried."""
        self.throttle_wait_s = 0.0
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    @property
    def request_count(self) -> int:
        return len(self.exchanges)

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + path

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        authorization: str | None = UNSET,
        json_body: Any = UNSET,
        content: bytes | str | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        repeated: list[tuple[str, str]] | None = None,
    ) -> Exchange:
        """Send a request; `token` adds `Authorization: Bearer`, `authorization` sets the header verbatim.

        `repeated` adds header lines after the others, even when their name is already set (a second
        Authorization header, for instance).
        """
        all_headers: dict[str, str] = {"Accept": "application/json"}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        if authorization is not UNSET and authorization is not None:
            all_headers["Authorization"] = authorization
        all_headers.update(headers or {})
        kwargs: dict[str, Any] = {"headers": all_headers, "params": params}
        if json_body is not UNSET:
            kwargs["content"] = json.dumps(json_body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        elif content is not None:
            kwargs["content"] = content.encode() if isinstance(content, str) else content
        elif data is not None or files is not None:
            kwargs["data"] = data
            kwargs["files"] = files
        if repeated:
            kwargs["headers"] = list(all_headers.items()) + list(repeated)
        exchange, _ = self._send(self._http.build_request(method, self.url(path), **kwargs))
        return exchange

    def send_prepared(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[Exchange, httpx.Response]:
        """Send bytes prepared elsewhere (Schemathesis cases); returns the raw response for its checks."""
        return self._send(self._http.build_request(method, url, headers=dict(headers), content=body or None))

    def send_raw(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Exchange:
        """Send over a plain socket, reading until the server closes (raw.py): what follows a 204 shows."""
        from .raw import raw_exchange  # raw.py builds on Exchange, defined in this module

        for attempt in range(MAX_RETRIES + 1):
            exchange = raw_exchange(method, self.url(path), dict(headers), body)
            if not self._throttled(exchange, attempt):
                break
        self.record(exchange)
        return exchange

    def record(self, exchange: Exchange) -> None:
        """Keep (and so count) an exchange."""
        self.exchanges.append(exchange)

    def _send(self, request: httpx.Request) -> tuple[Exchange, httpx.Response]:
        """The one way a request leaves: its exchange is recorded whether or not an answer comes."""
        for attempt in range(MAX_RETRIES + 1):
            exchange = Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=list(request.headers.multi_items()),
                request_body=request.read(),
            )
            started = time.perf_counter()
            try:
                response = self._http.send(request)
            except httpx.HTTPError as exc:
                exchange.error = f"{type(exc).__name__}: {exc}"
                exchange.elapsed = time.perf_counter() - started
                self.record(exchange)
                raise TransportFailure(exchange) from exc
            exchange.elapsed = time.perf_counter() - started
            exchange.status = response.status_code
            exchange.response_headers = list(response.headers.items())
            exchange.response_body = response.content
            if not self._throttled(exchange, attempt):
                break
        self.record(exchange)
        return exchange, response

    def _throttled(self, exchange: Exchange, attempt: int) -> bool:
        """True when `exchange` is a 429 to wait out (after waiting); False when it is the answer."""
        if exchange.status != TOO_MANY_REQUESTS or attempt >= MAX_RETRIES:
            return False
        wait = retry_after(exchange.header("Retry-After"), attempt)
        self.throttled.append(exchange)
        self.throttle_wait_s += wait
        time.sleep(wait)
        return True

    @contextmanager
    def recording(self) -> Iterator[list[Exchange]]:
        """Collect the exchanges made inside the block (the evidence of one check)."""
        start = len(self.exchanges)
        collected: list[Exchange] = []
        try:
            yield collected
        finally:
            collected.extend(self.exchanges[start:])


class TransportFailure(Exception):
    """The server could not be reached or did not answer."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(f"{exchange.method} {exchange.url}: {exchange.error}")
        self.exchange = exchange
