"""The suite's client: every request leaves through one send path, which records its exchange (exchange.py).

Its one send path is where the run is made safe to point at a real server: each request first waits for
the rate limit (pacing.py), and each exchange is kept with the users' tokens masked (credentials.py), so
nothing downstream (checks' messages, evidence, reports) ever holds a token it could leak. The wire is
transport.py's (the standard library's `http.client`, kept alive); a request is built as httpx builds it
(its URL model, its default headers and their order), so the evidence reads as it always has.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import httpx

from .credentials import Credentials
from .exchange import Exchange
from .pacing import Pacer, RateLimit
from .raw import raw_exchange
from .throttling import MAX_RETRIES, TOO_MANY_REQUESTS, retry_after
from .transport import Answer, Connections, TransportError

USER_AGENT = "selfcommunity-event-conformance"
UNSET: Any = object()
#: What every request says unless it says otherwise, in this order (httpx's client defaults).
DEFAULT_HEADERS = (
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Connection", "keep-alive"),
    ("User-Agent", USER_AGENT),
)
_BODY_METHODS = ("POST", "PUT", "PATCH")

#: Told of every answer the client keeps, with the Authorization header as sent (unmasked, never kept):
#: how the run learns which resources it created and with whose token (cleanup.py).
Watcher = Callable[[Exchange, str | None], None]


class Client:
    """A client of one base URL; every exchange is kept for the reports.

    Every request leaves through `_send`, which keeps its exchange; `request_count` is the number kept, so
    the evidence and the count cannot disagree. A throttled answer (429) is waited out and the request
    sent again (throttling.py); those attempts are kept apart, in `throttled`, and not judged. Every
    attempt waits for `rate_limit`, and every exchange is kept as `credentials` masks it.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 15.0,
        credentials: Credentials | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        """Seconds a connection or a read of the answer may take."""
        self.credentials = credentials or Credentials()
        self.pacer = Pacer(rate_limit)
        self.exchanges: list[Exchange] = []
        self.throttled: list[Exchange] = []
        """Answers of 429 that were waited out and retried."""
        self.throttle_wait_s = 0.0
        self._connections = Connections(timeout)
        self.watchers: list[Watcher] = []

    @property
    def request_count(self) -> int:
        return len(self.exchanges)

    def close(self) -> None:
        self._connections.close()

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
        body = b""
        framing: dict[str, str] = {}
        if json_body is not UNSET:
            body = json.dumps(json_body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        elif content is not None:
            body = content.encode() if isinstance(content, str) else content
        elif data is not None or files is not None:
            # Forms are encoded by httpx itself (urlencoded, or multipart with its boundary).
            form = httpx.Request(method, "http://form.invalid/", data=data, files=files)
            body = form.read()
            framing = {name: form.headers[name] for name in ("Content-Length", "Content-Type")}
        given = list(all_headers.items()) + list(repeated or [])
        exchange, _ = self._send(method, self._url(self.url(path), params), given, body, framing)
        return exchange

    def send_prepared(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[Exchange, Answer]:
        """Send bytes prepared elsewhere (Schemathesis cases); the answer as received is for its checks."""
        return self._send(method, self._url(url, None), list(headers.items()), body or b"")

    def send_raw(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Exchange:
        """Send over a plain socket, reading until the server closes (raw.py): what follows a 204 shows."""
        for attempt in range(MAX_RETRIES + 1):
            with self.pacer.turn():
                sent = raw_exchange(method, self.url(path), dict(headers), body)
            exchange = self.credentials.mask_exchange(sent)
            if not self._throttled(exchange, attempt):
                break
        self._keep(exchange, headers.items())
        return exchange

    def record(self, exchange: Exchange) -> None:
        """Keep (and so count) an exchange, its tokens masked."""
        self.exchanges.append(self.credentials.mask_exchange(exchange))

    @staticmethod
    def _url(url: str, params: Mapping[str, Any] | None) -> httpx.URL:
        """The URL as httpx makes it (normalised, `params` merged into its query)."""
        if not params:
            return parsed_url(url)
        if "?" in url or "#" in url:
            return parsed_url(url).copy_merge_params(params)
        # httpx's encoding of a query (QueryParams), without its cost per request.
        return parsed_url(f"{url}?{urlencode(list(_query_items(params)))}")

    def _send(
        self,
        method: str,
        url: httpx.URL,
        given: list[tuple[str, str]],
        body: bytes,
        framing: Mapping[str, str] | None = None,
    ) -> tuple[Exchange, Answer]:
        """The one way a request leaves: it waits for the rate limit, and its exchange is recorded (tokens
        masked) whether or not an answer comes."""
        method = method.upper()
        headers = _request_headers(method, url, given, body, framing or {})
        sent = [(name.lower(), value) for name, value in headers]
        target = str(url)
        for attempt in range(MAX_RETRIES + 1):
            exchange = Exchange(method=method, url=target, request_headers=sent, request_body=body)
            try:
                with self.pacer.turn():
                    started = time.perf_counter()
                    answer = self._connections.exchange(method, url, headers, body)
            except TransportError as exc:
                exchange.error = str(exc)
                exchange.elapsed = time.perf_counter() - started
                self.record(exchange)
                raise TransportFailure(self.exchanges[-1]) from None
            exchange.elapsed = time.perf_counter() - started
            exchange.status = answer.status
            exchange.response_headers = answer.headers
            exchange.response_body = answer.content
            exchange = self.credentials.mask_exchange(exchange)
            if not self._throttled(exchange, attempt):
                break
        self._keep(exchange, headers)
        return exchange, answer

    def _keep(self, exchange: Exchange, sent: Iterable[tuple[str, str]]) -> None:
        """Keep the exchange, and tell the watchers of it with the Authorization header as sent (any case)."""
        self.exchanges.append(exchange)
        if not self.watchers:
            return
        authorization = next((value for name, value in sent if name.lower() == "authorization"), None)
        for watcher in self.watchers:
            watcher(exchange, authorization)

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


@lru_cache(maxsize=4096)
def parsed_url(url: str) -> httpx.URL:
    """httpx's URL model of `url` (immutable): a run sends to a few hundred URLs, each many times."""
    return httpx.URL(url)


def _query_items(params: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """httpx's query items: a list or tuple value repeats its key; true, false and None read as `true`,
    `false` and an empty value."""
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            yield (
                str(key),
                "true" if item is True else "false" if item is False else "" if item is None else str(item),
            )


def _request_headers(
    method: str, url: httpx.URL, given: list[tuple[str, str]], body: bytes, framing: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The header lines of a request, in httpx's order: `Host` (and `Content-Length: 0` for a POST, PUT or
    PATCH without a body) first, then the client's defaults that `given` does not name, `given`, and the
    body's framing headers that `given` leaves unset."""
    named = {name.lower() for name, _ in given}
    lines = [line for line in DEFAULT_HEADERS if line[0].lower() not in named] + given
    named.update(name.lower() for name, _ in DEFAULT_HEADERS)
    if body and not framing:
        framing = {"Content-Length": str(len(body))}
    for name, value in framing.items():
        if name.lower() not in named:
            lines.append((name, value))
            named.add(name.lower())
    first = [] if "host" in named else [("Host", url.netloc.decode("ascii"))]
    if "content-length" not in named and "transfer-encoding" not in named and method in _BODY_METHODS:
        first.append(("Content-Length", "0"))
    return first + lines


class TransportFailure(Exception):
    """The server could not be reached or did not answer."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(f"{exchange.method} {exchange.url}: {exchange.error}")
        self.exchange = exchange
