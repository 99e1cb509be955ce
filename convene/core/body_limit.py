"""Refuse an over-large request body before Django reads it (decision 0011).

Django's ASGI handler reads the whole body, spilling it to a temporary file past
FILE_UPLOAD_MAX_MEMORY_SIZE, before any middleware or view runs: a check there
comes after the disk has filled. This ASGI middleware sits in front. A body whose
Content-Length is over the limit gets 413 before a byte of it is read; a body sent
without one (chunked) is stopped when it passes the limit: Django hears that the
client went away and the client gets 413. Either way the connection is closed.

One limit for the whole site (MAX_UPLOAD_MB). A path that needs more (recording
uploads, later) would get its own entry here, checked by path before the default.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:  # the server refuses these before the application
                return None
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope["headers"])
        if declared is not None and declared > self.max_bytes:
            await self.refuse(send)
            return

        received = 0
        too_large = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, watched_send)
        if too_large and not started:
            await self.refuse(send)

    async def refuse(self, send: Send) -> None:
        megabytes = self.max_bytes // (1024 * 1024)
        body = f"Request body too large: the limit is {megabytes} MB.\n".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
