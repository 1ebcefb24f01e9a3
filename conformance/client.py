"""An httpx client that records every exchange (exchange.py) and counts requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from .exchange import Exchange
from .raw import raw_exchange
from .throttling import MAX_RETRIES, TOO_MANY_REQUESTS, retry_after

USER_AGENT = "selfcommunity-event-conformance"
UNSET: Any = object()


class Client:
    """httpx.Client against one base URL; every exchange is kept for the reports.

    Every request leaves through `_send`, which keeps its exchange; `request_count` is the number kept, so
    the evidence and the count cannot disagree. A throttled answer (429) is waited out and the request
    sent again (throttling.py); those attempts are kept apart, in `throttled`, and not judged.
    """

    def __init__(self, base_url: str, *, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        """Seconds an answer may take (httpx's connect, read, write and pool timeouts)."""
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
