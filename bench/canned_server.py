"""The fastest HTTP/1.1 server we can write: it answers every request with the same small JSON, keep-alive.

Run as a child process (``python -m bench.canned_server PORT``) under bench.client_send, so that the
client's CPU time is measured without a real application behind it. Hand-written on asyncio's protocol
layer because any framework would be the slower side of the measurement.
"""

from __future__ import annotations

import asyncio
import sys

BODY = b'{"count": 2, "next": null, "previous": null, "results": [{"id": 2}, {"id": 3}]}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class Canned(asyncio.Protocol):
    """Answers each complete request (head and Content-Length body) with `ANSWER`."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            length = 0
            for line in head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(ANSWER)


async def serve(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(Canned, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
