"""Publishing: an event for a room's hubs in every process, through the channel layer.

Services call these after their transaction commits, from any thread, with the
frame's text already encoded (convene.live.protocol). Each message goes to the
room's group, `live.room.<id>`, which every process's hub for the room has
joined; the in-process layer by default, Redis when scaled out.

A process that runs hubs sends from the hubs' event loop, in the order of the
calls and without blocking the caller; any other process (a management command,
a process serving only HTTP) sends at once. A publication that fails is only
logged: the change is stored already, and hubs repair the gap from the
database (hub.py).
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Set by the hubs (hub.hub_for): the loop they run on in this process.
_hub_loop: asyncio.AbstractEventLoop | None = None
_outbox: asyncio.Queue | None = None
_publisher: asyncio.Task | None = None


def group_name(room_id: int) -> str:
    return f"live.room.{room_id}"


def publish_frame(room_id: int, seq: int, text: str) -> None:
    """A numbered event for everyone in the room."""
    _publish(room_id, {"type": "live.frame", "seq": seq, "text": text})


def publish_reactions(room_id: int, message_id: int, count: int, rev: int) -> None:
    _publish(room_id, {"type": "live.reactions", "message": message_id, "count": count, "rev": rev})


def publish_to_user(room_id: int, user_id: int, text: str) -> None:
    """A frame for one person's sockets only (for example: you are muted)."""
    _publish(room_id, {"type": "live.user", "user": f"u{user_id}", "text": text})


def publish_to_moderators(room_id: int, text: str) -> None:
    _publish(room_id, {"type": "live.moderators", "text": text})


def use_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Publish from `loop`, the loop this process's hubs run on."""
    global _hub_loop
    _hub_loop = loop


def reset() -> None:
    """Forget the hubs' loop and stop its publisher (the hubs are closed)."""
    global _hub_loop, _outbox, _publisher
    if _publisher is not None:
        _publisher.cancel()
    _hub_loop = _outbox = _publisher = None


def _publish(room_id: int, message: dict) -> None:
    group = group_name(room_id)
    loop = _hub_loop
    if loop is not None and loop.is_running():
        # The hubs' loop: send from there, in order, without blocking the caller.
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            _enqueue(group, message)
        else:
            loop.call_soon_threadsafe(_enqueue, group, message)
        return
    # No hub in this process (a management command, a WSGI server, a process
    # serving only HTTP): send now; other processes' hubs get it through Redis.
    layer = get_channel_layer()
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    try:
        if running is not None:  # sync code inside someone's loop: no blocking here
            running.create_task(layer.group_send(group, message))
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception:
        # Stored already: hubs repair the gap from the database.
        logger.warning("live: could not publish to %s", group, exc_info=True)


def _enqueue(group: str, message: dict) -> None:
    global _outbox, _publisher
    if _outbox is None:
        _outbox = asyncio.Queue()
    _outbox.put_nowait((group, message))
    if _publisher is None or _publisher.done():
        _publisher = asyncio.ensure_future(_publish_loop(_outbox))


async def _publish_loop(outbox: asyncio.Queue) -> None:
    layer = get_channel_layer()
    while True:
        group, message = await outbox.get()
        try:
            await layer.group_send(group, message)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Stored already: hubs repair the gap from the database.
            logger.warning("live: could not publish to %s", group, exc_info=True)
