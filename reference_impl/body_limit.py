"""Refuse request bodies over a size limit with 413, and read the rest in full up front.

The body is buffered here (at most the limit) so that the database transaction, opened later,
never waits on a slow client, and its headers are made to say what Connexion reads from them: its
Content-Length (Connexion treats a body without one, sent chunked, as missing) and its media type in
lower case (media types are case-insensitive, RFC 9110 §8.3.1, but Connexion looks its body
validators up by the exact string).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl import problems

MAX_BODY_BYTES = 1024 * 1024


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            raise problems.payload_too_large(self.limit)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; let the app see that
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise problems.payload_too_large(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False
        headers = [
            (name, _media_type_lowered(value) if name == b"content-type" else value)
            for name, value in scope["headers"]
            if name not in (b"content-length", b"transfer-encoding")
        ]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _media_type_lowered(content_type: bytes) -> bytes:
    """``Application/JSON; charset=UTF-8`` → ``application/json; charset=UTF-8``: the parameters (a
    multipart boundary) keep their case."""
    media_type, semicolon, parameters = content_type.partition(b";")
    return media_type.lower() + semicolon + parameters
