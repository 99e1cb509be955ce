"""The room's WebSocket: authenticate, guard, call handlers, hand delivery to the hub.

ws[s]://<host>/ws/live/rooms/<room id>/?after=<last number seen>

Thin on purpose: who may do what is in rules.py and handlers.py, changes in
services.py, delivery in transport/. This class only keeps the socket honest:
text frames of a sane size, a bounded rate of frames, valid commands.
Close codes: 4403 no access (refused before the handshake completes, so the
browser sees HTTP 403), 4001 too slow (reconnect and resume), 1008 flooding or
repeated nonsense, 1009 frame too big, 1003 binary frames.
"""

import asyncio
import contextlib
import time
from urllib.parse import parse_qs

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from convene.core.params import whole_number
from convene.live import handlers, protocol
from convene.live.db import db_call
from convene.live.selectors import RoomAccess
from convene.live.transport.hub import RoomHub, background, hub_for
from convene.live.transport.listeners import SocketListener, socket_listener

MAX_BAD_COMMANDS = 10
# A longer text frame (in characters) closes the connection (1009); uvicorn's
# --ws-max-size caps its bytes before it is read.
FRAME_MAX_CHARS = 8192
# Frames one socket may send: a burst of this many, refilled at this rate per second.
FLOOD_BURST = 20
FLOOD_RATE = 10.0


def after_from_query(query_string: bytes) -> int | None:
    values = parse_qs(query_string.decode("latin-1")).get("after")
    return whole_number(values[0]) if values else None


class TokenBucket:
    """A burst of `burst` frames, then `rate` frames a second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, burst: int, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class RoomConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the room's hub holds this process's one channel-layer
    # subscription for the room and writes to this socket directly. (channels
    # gives a consumer a channel only when its alias names a configured layer.)
    channel_layer_alias = "live:hub-only"

    access: RoomAccess | None = None
    listener: SocketListener | None = None
    hub: RoomHub | None = None

    async def dispatch(self, message: dict) -> None:
        # channels closes stale database connections before every frame with a
        # thread hop; our database calls go through db_call (live/db.py),
        # which does that itself, so frames that need no database stay cheap.
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message: dict) -> None:
        room_id = int(self.scope["url_route"]["kwargs"]["room"])
        user = self.scope["user"]
        self.access = await db_call(handlers.enter)(room_id=room_id, user=user)
        if self.access is None or not self.access.can_read:
            await self.close(code=4403)
            return
        await self.accept()
        self.bucket = TokenBucket(FLOOD_BURST, FLOOD_RATE)
        self.bad_commands = 0
        self.max_length = settings.LIVE_MESSAGE_MAX_LENGTH
        self.hub = await hub_for(room_id, store=handlers.store)
        self.listener = socket_listener(
            send=self.base_send,  # the server's own send: no middleware wraps it
            direct_writes=settings.LIVE_DIRECT_WRITES,
            limit=settings.LIVE_CLIENT_BACKLOG,
            user_key=self.access.user_key,
            moderator=self.access.can_moderate,
            on_drop=self._dropped,
        )
        hello = handlers.hello_frame(
            self.access,
            presence=self.hub.presence,
            readers=self.hub.readers,
            transport="websocket",
        )
        await self.hub.join(
            self.listener, after=after_from_query(self.scope["query_string"]), first=[hello]
        )
        if self.access.user_id:
            self.hub.record_entry(self.access.user_id)

    def _dropped(self, reason: str) -> None:
        if reason == "slow":
            # The close waits behind the full buffer; the client resumes by number.
            background(self._close_slow())

    async def _close_slow(self) -> None:
        # The peer may be gone or stuck: then the server's keepalive ends it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.close(code=4001, reason="too slow: resume"), timeout=10)

    async def websocket_receive(self, message: dict) -> None:
        if self.listener is None or self.listener.closed:
            return
        text = message.get("text")
        if text is None:
            await self.close(code=1003)
            return
        if len(text) > FRAME_MAX_CHARS:
            await self.close(code=1009)
            return
        if not self.bucket.take():
            await self.close(code=1008, reason="too many frames")
            return
        try:
            command = protocol.parse_command(text, max_length=self.max_length)
        except protocol.InvalidCommandError as bad:
            self.bad_commands += 1
            if self.bad_commands > MAX_BAD_COMMANDS:
                await self.close(code=1008, reason="too many bad commands")
                return
            self.listener.deliver_text(protocol.error_frame(bad.code, bad.message))
            return
        if command.type == "ping":
            self.listener.deliver_text(protocol.encode({"type": "pong"}))
            return
        reply = await db_call(handlers.perform)(
            command=command, access=self.access, user=self.scope["user"]
        )
        if reply and not self.listener.closed:
            self.listener.deliver_text(reply)

    async def websocket_disconnect(self, message: dict) -> None:
        if self.listener is not None:
            self.listener.closed = True
            if self.hub is not None:
                self.hub.leave(self.listener)
            self.listener._stop()
        raise StopConsumer
