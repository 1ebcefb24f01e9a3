"""The record of one HTTP exchange: the request as sent, the answer as received, and its curl replay.

Every report shows evidence as these records; the httpx client (client.py) and the bare-socket exchange
(raw.py) both make them. The client keeps them with each bearer token replaced by a reference to a shell
variable (`$TOKEN_1`, credentials.py), which the curl line expands: run it after `export TOKEN_1=…`.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

# Headers curl sets on its own; repeating them in a reproduction only adds noise.
_CURL_IMPLIED = {"host", "content-length", "connection", "accept-encoding", "user-agent", "accept"}
_BODY_PREVIEW = 2000
VARIABLE_PREFIX = "TOKEN_"
VARIABLE_REFERENCE = re.compile(r"\$\{(" + VARIABLE_PREFIX + r"\d+)\}|\$(" + VARIABLE_PREFIX + r"\d+)(?!\w)")
"""`$TOKEN_1` or `${TOKEN_1}`: what stands for a token in a recorded exchange."""
# What a double-quoted shell word may hold as it is: nothing the shell (or an interactive bash's history
# expansion, `!`) would read.
_PLAIN_IN_DOUBLE_QUOTES = re.compile(r"[^\\\"$`!]*")


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
    variables: tuple[str, ...] = ()
    """The shell variables (`TOKEN_1`, …) that stand for tokens in the request: its curl line expands them."""

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
        return render_curl(self.method, self.url, self.request_headers, self.request_body, self.variables)

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
            "curl_variables": list(self.variables),
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


def variable_references(text: str) -> list[str]:
    """The variable names referenced in `text` (`TOKEN_1` for `$TOKEN_1` or `${TOKEN_1}`)."""
    return [braced or bare for braced, bare in VARIABLE_REFERENCE.findall(text)]


def render_curl(
    method: str,
    url: str,
    headers: list[tuple[str, str]] | Mapping[str, str],
    body: bytes,
    variables: tuple[str, ...] = (),
) -> str:
    """A copy-paste curl command sending exactly this request (method, URL, headers, body bytes);
    references to `variables` (`$TOKEN_1`) are left for the shell to expand."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    parts = ["curl", "-i", "-X", method.upper(), _word(url, variables)]
    for name, value in items:
        if name.lower() in _CURL_IMPLIED:
            continue
        parts += ["-H", _word(f"{name}: {value}", variables)]
    if b"\x00" in body:
        # No shell argument can hold a NUL byte: the body goes through a pipe instead.
        return f"printf '%b' {_printf_escape(body)} | " + " ".join([*parts, "--data-binary", "@-"])
    if body:
        parts += ["--data-binary", _word(body.decode("utf-8", errors="surrogateescape"), variables)]
    return " ".join(parts)


def _word(text: str, variables: tuple[str, ...]) -> str:
    """One shell word for `text`, in which the references to `variables` expand and nothing else does."""
    pieces: list[tuple[str, bool]] = []  # (text, is a variable)
    position = 0
    for match in VARIABLE_REFERENCE.finditer(text) if variables else ():
        name = match.group(1) or match.group(2)
        if name not in variables:
            continue
        pieces += [(text[position : match.start()], False), (name, True)]
        position = match.end()
    if not pieces:
        return _quote(text)
    pieces.append((text[position:], False))
    literals = [piece for piece, is_variable in pieces if not is_variable]
    if all(piece.isprintable() and _PLAIN_IN_DOUBLE_QUOTES.fullmatch(piece) for piece in literals):
        # The common case, `"Authorization: Bearer $TOKEN_1"`: one double-quoted word.
        rendered = [
            _expansion(piece, pieces[index + 1][0]) if is_variable else piece
            for index, (piece, is_variable) in enumerate(pieces)
        ]
        return '"' + "".join(rendered) + '"'
    return "".join(
        f'"${{{piece}}}"' if is_variable else _quote(piece) for piece, is_variable in pieces if piece
    )


def _expansion(name: str, following: str) -> str:
    """`$NAME`, or `${NAME}` where the text after it would otherwise continue the name."""
    return f"${{{name}}}" if following[:1].isalnum() or following[:1] == "_" else f"${name}"


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
