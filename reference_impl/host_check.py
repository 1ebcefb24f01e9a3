"""Refuse a request whose Host header is not a host: RFC 9112 §3.2 asks for 400.

The server builds absolute links (`next`, `previous`, `Location`) from the Host the client sent, so a
Host such as `s%` would come back inside a link that is no URI. No dependency of the server checks the
value (uvicorn and Starlette pass it through), hence the grammar below: RFC 3986 §3.2.2–3.2.3.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from reference_impl import problems

_UNRESERVED_OR_SUB_DELIM = r"[A-Za-z0-9\-._~!$&'()*+,;=]"
_PCT_ENCODED = r"%[0-9A-Fa-f]{2}"
_REG_NAME = rf"(?:{_UNRESERVED_OR_SUB_DELIM}|{_PCT_ENCODED})*"
_IP_LITERAL = r"\[[0-9A-Fa-f:.]+\]"  # IPv6 (and IPvFuture's common form); the brackets matter here
HOST = re.compile(rf"^(?:{_IP_LITERAL}|{_REG_NAME})(?::[0-9]{{0,5}})?$")


class HostCheckMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = Headers(scope=scope).get("host")
            if host is not None and not HOST.match(host):
                raise problems.bad_request("The Host header is not a host name or address (RFC 9112 §3.2).")
        await self.app(scope, receive, send)
