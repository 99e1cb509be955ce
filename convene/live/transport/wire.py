"""One event, thousands of sockets: the frame is built once, the WebSocket bytes too.

A `Frame` holds one outgoing event's JSON text (encoded by `convene.live.protocol`)
and builds, once and only when asked, its Server-Sent Events form and its
complete WebSocket frame. Every socket of the room shares it.

ASGI's `websocket.send` carries text, so an ASGI server encodes and frames every
send on its own: under uvicorn that is 15–20 µs of Python per socket and per
event, most of the cost of a 5,000-person room (bench/README.md). The hub builds
each event's frame bytes once (`frame_bytes`, with websockets' own serialiser)
and, where it can, writes those bytes straight to the socket's transport
(`direct_writer`).

Where it can: the socket is served by uvicorn's websockets protocol (its
default since 0.35, `WebSocketsSansIOProtocol`), and no extension was negotiated
(no per-message compression: we run uvicorn with `--ws-per-message-deflate
false`; a compressed connection needs per-socket compression anyway). Every
other server (Daphne, Hypercorn, uvicorn's wsproto or legacy protocols, the test
communicator) gets plain ASGI sends.

What stays with the server: the handshake, pings and pongs, the closing
handshake and the transport's flow control. The direct write is used only while
the connection is open and the transport is accepting writes; otherwise the
caller falls back to ASGI `send`, which waits for the buffer to drain (the
hub's bounded backlog) or raises for a closed socket. Each write is a complete,
unfragmented server frame written in one call, so it cannot interleave with the
server's own control frames, and uvicorn's protocol state does not change with
data frames. The `LIVE_DIRECT_WRITES` setting (false) turns the fast path off:
the consumer then asks for no direct writer.

Decision records: docs/decisions/0009-frames-encoded-once.md, 0021.
"""

from collections.abc import Callable

from websockets.frames import Frame as _WebSocketFrame
from websockets.frames import Opcode

try:  # uvicorn is the server we ship with; others simply get ASGI sends
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol as _UvicornProtocol,
    )
except ImportError:  # pragma: no cover - uvicorn is a dependency
    _UvicornProtocol = None


class Frame:
    """One outgoing event: its JSON text, built once, and its number (0: none)."""

    __slots__ = ("_sse", "_wire", "message", "seq", "text")

    def __init__(self, text: str, seq: int = 0) -> None:
        self.text = text
        self.seq = seq
        self._sse: str | None = None
        self._wire: bytes | None = None
        # The ASGI message, shared by every socket (servers only read it).
        self.message = {"type": "websocket.send", "text": text}

    @property
    def sse(self) -> str:
        """The same event for Server-Sent Events, also built once."""
        if self._sse is None:
            head = f"id: {self.seq}\n" if self.seq else ""
            self._sse = f"{head}data: {self.text}\n\n"
        return self._sse

    @property
    def wire(self) -> bytes:
        """The same event as WebSocket frame bytes, also built once."""
        if self._wire is None:
            self._wire = frame_bytes(self.text)
        return self._wire


def frame_bytes(text: str) -> bytes:
    """A complete, unmasked server text frame carrying `text` (RFC 6455 §5.2)."""
    return _WebSocketFrame(Opcode.TEXT, text.encode()).serialize(mask=False)


def direct_writer(send: Callable) -> Callable[[bytes], bool] | None:
    """A function that writes frame bytes to the socket behind `send`, or None.

    The function returns False, writing nothing, when the connection is closing
    or its transport is full; the caller then uses ASGI `send` for that frame.
    """
    if _UvicornProtocol is None:
        return None
    server = getattr(send, "__self__", None)
    if type(server) is not _UvicornProtocol or getattr(server, "conn", None) is None:
        return None
    if server.conn.extensions or not server.handshake_complete:
        return None
    transport = server.transport
    writable = server.writable

    def write(data: bytes) -> bool:
        if (
            server.close_sent
            or server.disconnected
            or not writable.is_set()
            or transport.is_closing()
        ):
            return False
        transport.write(data)
        return True

    return write
