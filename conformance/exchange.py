"""The record of one HTTP exchange: the request as sent, the answer as received, and its curl replay.

Every report shows evidence as these records; the httpx client (client.py) and the bare-socket exchange
(raw.py) both make them.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

# Headers curl sets on its own; repeating them in a reproduction only adds noise.
_CURL_IMPLIED = {"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"}
_BODY_PREVIEW = 2000


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
