"""A server that echoes the caller's bearer token back, in front of another server.

``python -m tests.conformance.echo_server --port 8001 --upstream http://127.0.0.1:8000`` forwards every
request and answers what the upstream answered, plus the token of the request's Authorization header in
a response header (as sent and percent-encoded in a link) and, in a JSON object body, in a field of its
own. A careless server does this (a debug header, a token in a `next` link); the suite's reports must
hold none of it.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import click
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "content-encoding"}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def echo_app(upstream: str) -> Starlette:
    client = httpx.AsyncClient(base_url=upstream, timeout=30.0)

    async def forward(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        answer = await client.request(
            request.method,
            request.url.path,
            params=list(request.query_params.multi_items()),
            headers=headers,
            content=await request.body(),
        )
        out_headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        content = answer.content
        token = request.headers.get("authorization", "").partition(" ")[2].strip()
        if token:
            out_headers["x-echo-token"] = token
            out_headers["link"] = f'<{request.base_url}echo?access_token={quote(token, safe="")}>; rel="echo"'
            try:
                body = json.loads(content) if content else None
            except ValueError:
                body = None
            if isinstance(body, dict):
                body["echo"] = {"token": token, "next": f"/echo?access_token={quote(token, safe='')}"}
                content = json.dumps(body).encode()
        return Response(content, status_code=answer.status_code, headers=out_headers)

    return Starlette(routes=[Route("/{path:path}", forward, methods=METHODS)])


@click.command()
@click.option("--port", type=int, required=True)
@click.option("--upstream", required=True)
def main(port: int, upstream: str) -> None:
    uvicorn.run(echo_app(upstream), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
