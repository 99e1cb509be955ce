"""Frames encoded once and written straight to uvicorn's sockets
(convene/live/transport/wire.py).

The frame bytes must be exactly what uvicorn itself would write; the fast path
must be taken under a real uvicorn (in this process, so the test can look at the
hub), declined where it cannot be used (compression negotiated, the transport
full, other servers), and the fallback must keep order and lose nothing.
"""

import asyncio
import json
import socket

import pytest
import uvicorn
import websockets
from channels.db import database_sync_to_async
from websockets.protocol import State
from websockets.server import ServerProtocol

from convene.live.transport import hub as transport_hub
from convene.live.transport import wire
from convene.live.transport.listeners import SocketListener
from convene.live.transport.wire import Frame
from tests.live.conftest import cookie_for, registered_person, run
from tests.live.test_e2e import take
from tests.live.test_hub import FakeSocket

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    "",
    '{"type":"message"}',
    "é" * 62 + "x",  # 125 bytes: the longest 7-bit length
    "x" * 126,  # 16-bit length
    "Top tip: ask people 🙂 " * 200,  # non-ASCII, several KiB
    "y" * 70_000,  # 64-bit length (a big batch)
]


def uvicorn_bytes(text: str) -> bytes:
    """What uvicorn's protocol writes for `{"type": "websocket.send", "text": text}`."""
    conn = ServerProtocol()
    conn.state = State.OPEN
    conn.send_text(text.encode())
    return b"".join(conn.data_to_send())


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: f"{len(t.encode())}-bytes")
def test_frame_bytes_are_what_the_server_would_write(text):
    assert wire.frame_bytes(text) == uvicorn_bytes(text)


def test_a_frame_is_encoded_once_however_many_sockets():
    frame = Frame('{"type":"message"}')
    assert frame.wire is frame.wire


class InProcessServer:
    """Convene under a real uvicorn in this event loop, on a free port."""

    def __init__(self, *, deflate: bool = False) -> None:
        from convene.asgi import application

        self.config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=0,
            lifespan="off",
            log_level="warning",
            ws_per_message_deflate=deflate,
        )
        self.server = uvicorn.Server(self.config)
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> "InProcessServer":
        self.task = asyncio.ensure_future(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        await transport_hub.reset()  # the hubs' tasks belong to this loop
        self.server.should_exit = True
        await self.task

    async def connect(self, room, user, *, compression=None):
        cookie = (await database_sync_to_async(cookie_for)(user)).decode()
        return await websockets.connect(
            f"ws://127.0.0.1:{self.port}/ws/live/rooms/{room.pk}/",
            origin="http://127.0.0.1",
            additional_headers={"Cookie": cookie},
            compression=compression,
        )


async def post(ws, text: str, client_id: str) -> None:
    await ws.send(json.dumps({"type": "send", "client_id": client_id, "text": text}))


def listener_of(room) -> SocketListener:
    (listener,) = transport_hub.hubs()[room.pk].listeners
    return listener


def test_uvicorn_sockets_get_the_frame_bytes_directly(room, registered):
    async def scenario():
        async with InProcessServer() as server:
            ws = await server.connect(room, registered)
            await take(ws, "batch")
            direct = listener_of(room).direct is not None
            texts = ["Plain", "Ünïcödé and emoji 🙂", "z" * 1000]
            for n, text in enumerate(texts):
                await post(ws, text, f"direct-{n:04d}")
            received = await take(ws, "message", count=3)
            await ws.close()
            return direct, texts, received

    direct, texts, received = run(scenario)

    assert direct
    assert [f["message"]["text"] for f in received] == texts
    assert [f["seq"] for f in received] == [1, 2, 3]


@pytest.mark.parametrize(
    ("deflate", "direct_writes"),
    [(True, True), (False, False)],
    ids=["compression negotiated", "LIVE_DIRECT_WRITES off"],
)
def test_ordinary_sends_where_the_fast_path_does_not_apply(
    room, registered, settings, deflate, direct_writes
):
    settings.LIVE_DIRECT_WRITES = direct_writes

    async def scenario():
        async with InProcessServer(deflate=deflate) as server:
            ws = await server.connect(room, registered, compression="deflate" if deflate else None)
            await take(ws, "batch")
            direct = listener_of(room).direct
            await post(ws, "Through ASGI", "asgi-0001")
            (received,) = await take(ws, "message")
            await ws.close()
            return direct, received

    direct, received = run(scenario)

    assert direct is None
    assert received["message"]["text"] == "Through ASGI"


def test_a_full_socket_falls_back_to_the_backlog_and_loses_nothing(room, registered):
    """The transport says "stop writing" (as when the peer's buffer is full): the
    direct write declines, frames queue in the bounded backlog in order, and go
    out through ASGI send once the transport drains."""

    async def scenario():
        async with InProcessServer() as server:
            ws = await server.connect(room, registered)
            await take(ws, "batch")
            listener = listener_of(room)
            protocol = listener.send.__self__
            protocol.pause_writing()  # what the transport calls above its high-water mark
            for n in range(3):
                listener.deliver(Frame(json.dumps({"type": "probe", "n": n})))
            waiting = listener.backlog is not None
            protocol.resume_writing()
            probes = await take(ws, "probe", count=3)
            after = listener.backlog
            await ws.close()
            return waiting, probes, after

    waiting, probes, after = run(scenario)

    assert waiting
    assert [p["n"] for p in probes] == [0, 1, 2]
    assert after is None  # drained: direct writes again


def test_other_servers_sends_are_left_alone():
    socket = FakeSocket()
    assert wire.direct_writer(socket.send) is None

    async def plain_send(message):  # a function, not a server's method
        pass

    assert wire.direct_writer(plain_send) is None


def test_a_declined_direct_write_goes_through_send():
    async def scenario():
        socket = FakeSocket()
        written: list[bytes] = []
        accept = True

        def direct(data: bytes) -> bool:
            if accept:
                written.append(data)
            return accept

        listener = SocketListener(send=socket.send, direct=direct, limit=10)
        listener.deliver(Frame('{"n":0}'))
        accept = False
        listener.deliver(Frame('{"n":1}'))
        await asyncio.sleep(0)
        return written, socket.texts

    written, sent = run(scenario)

    assert written == [wire.frame_bytes('{"n":0}')]
    assert sent == ['{"n":1}']


def test_a_client_that_stops_reading_is_dropped_and_the_room_carries_on(
    room, registered, event, settings
):
    """Real sockets: one client stops reading. Its transport fills, the direct
    write declines, its backlog overflows, and the hub drops and counts it;
    the other client gets every frame, in order, meanwhile."""
    settings.LIVE_CLIENT_BACKLOG = 5
    reader = registered_person(event, email="reader@example.org", name="Rita Reader")

    async def scenario():
        async with InProcessServer() as server:
            stuck = await server.connect(room, registered)
            await take(stuck, "batch")
            stuck.transport.pause_reading()
            fine = await server.connect(room, reader)
            await take(fine, "batch")
            hub = transport_hub.hubs()[room.pk]
            listener = next(lis for lis in hub.listeners if lis.user_key == f"u{registered.pk}")
            # Small kernel buffers on both ends, so a few frames fill them.
            stuck.transport.get_extra_info("socket").setsockopt(
                socket.SOL_SOCKET, socket.SO_RCVBUF, 4096
            )
            listener.send.__self__.transport.get_extra_info("socket").setsockopt(
                socket.SOL_SOCKET, socket.SO_SNDBUF, 4096
            )
            pad = "x" * 8000
            for n in range(200):
                await hub._dispatch(Frame(json.dumps({"type": "probe", "n": n, "pad": pad})))
                await asyncio.sleep(0)
            probes = await take(fine, "probe", count=200, timeout=20)
            await fine.close()
            stuck.transport.abort()
            return hub.stats["dropped_slow"], listener.closed, [p["n"] for p in probes]

    dropped, closed, received = run(scenario)

    assert (dropped, closed) == (1, True)
    assert received == list(range(200))
