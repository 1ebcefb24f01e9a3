"""An httpx client that records every exchange (exchange.py) and counts requests.

Its one send path is where the run is made safe to point at a real server: each request first waits for
the rate limit (pacing.py), and each exchange is kept with the users' tokens masked (credentials.py), so
nothing downstream (checks' messages, evidence, reports) ever holds a token it could leak.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from .credentials import Credentials
from .exchange import Exchange
from .pacing import Pacer, RateLimit
from .raw import raw_exchange
from .throttling import MAX_RETRIES, TOO_MANY_REQUESTS, retry_after

USER_AGENT = "selfcommunity-event-conformance"
UNSET: Any = object()

#: Told of every answer the client keeps, with the Authorization header as sent (unmasked, never kept):
#: how the run learns which resources it created and with whose token (cleanup.py).
Watcher = Callable[[Exchange, str | None], None]


class Client:
    """httpx.Client against one base URL; every exchange is kept for the reports.

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
        """Seconds an answer may take (httpx's connect, read, write and pool timeouts)."""
        self.credentials = credentials or Credentials()
        self.pacer = Pacer(rate_limit)
        self.exchanges: list[Exchange] = []
        self.throttled: list[Exchange] = []
        """Answers of 429 that were waited out and retried."""
        self.throttle_wait_s = 0.0
        self.watchers: list[Watcher] = []
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
        for attempt in range(MAX_RETRIES + 1):
            with self.pacer.turn():
                sent = raw_exchange(method, self.url(path), dict(headers), body)
            exchange = self.credentials.mask_exchange(sent)
            if not self._throttled(exchange, attempt):
                break
        self._keep(exchange, headers.get("Authorization") or headers.get("authorization"))
        return exchange

    def record(self, exchange: Exchange) -> None:
        """Keep (and so count) an exchange, its tokens masked."""
        self.exchanges.append(self.credentials.mask_exchange(exchange))

    def _send(self, request: httpx.Request) -> tuple[Exchange, httpx.Response]:
        """The one way a request leaves: it waits for the rate limit, and its exchange is recorded (tokens
        masked) whether or not an answer comes."""
        for attempt in range(MAX_RETRIES + 1):
            exchange = Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=list(request.headers.multi_items()),
                request_body=request.read(),
            )
            try:
                with self.pacer.turn():
                    started = time.perf_counter()
                    response = self._http.send(request)
            except httpx.HTTPError as exc:
                exchange.error = f"{type(exc).__name__}: {exc}"
                exchange.elapsed = time.perf_counter() - started
                self.record(exchange)
                raise TransportFailure(self.exchanges[-1]) from None
            exchange.elapsed = time.perf_counter() - started
            exchange.status = response.status_code
            exchange.response_headers = list(response.headers.items())
            exchange.response_body = response.content
            exchange = self.credentials.mask_exchange(exchange)
            if not self._throttled(exchange, attempt):
                break
        self._keep(exchange, request.headers.get("Authorization"))
        return exchange, response

    def _keep(self, exchange: Exchange, authorization: str | None) -> None:
        self.exchanges.append(exchange)
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


class TransportFailure(Exception):
    """The server could not be reached or did not answer."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(f"{exchange.method} {exchange.url}: {exchange.error}")
        self.exchange = exchange
