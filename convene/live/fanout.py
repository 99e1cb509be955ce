"""Fan-out: deliver each room event once to every socket of the room in this process.

One `RoomHub` per room per process holds the room's local listeners (WebSocket
and SSE clients) and the process's single channel-layer subscription for the
room (group `live.room.<id>`). Services publish an event after their
transaction commits; every process's hub receives it through the channel layer
(in-process by default, Redis when scaled) and writes the same JSON text to each
local socket: built once, never per recipient.

Order and completeness: sequenced events carry the room's number. The hub
dispatches them strictly in order, holds early arrivals, and repairs a gap
(a lost or late publication) from the database, so every listener sees every
number once. A client joining or resuming gets a batch from the database while
the hub buffers live events for it; afterwards it gets those the batch did not
cover (docs/live-protocol.md explains why nothing falls between the two).

Slow clients: a write that would wait (the socket's buffer is full) does not
stop the loop; the client's further frames queue in a bounded backlog, and a
client whose backlog overflows is disconnected and counted (it resumes by
number). `LIVE_FANOUT_MODE = "queue"` uses a bounded queue and a writer task
per socket instead (for comparison; see bench/README.md).
"""

import asyncio
import contextlib
import gc
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from convene.live import conf, protocol, selectors, wire
from convene.live.db import db_call

logger = logging.getLogger(__name__)

# Names this process in presence counts shared with other processes.
PROCESS_ID = uuid.uuid4().hex[:12]
# How long a hub waits for a missing number before fetching it from the database.
REPAIR_DELAY = 0.25
# Seconds between the hub's checks of the room's number (catches a lost last event).
AUDIT_INTERVAL = 5.0
# A process's presence count older than this no longer counts.
PRESENCE_STALE = 15.0
# A hub with no listeners closes after this long (people reconnecting keep it).
IDLE_CLOSE = 30.0
# Let other work run after this many writes within one dispatch.
YIELD_EVERY = 1000
# Entries (participants, attendance) are written at most this often, in one batch.
ENTRY_BATCH_DELAY = 1.0
# Refresh the group membership (the in-memory layer expires it after a day).
REJOIN_INTERVAL = 600.0


_background: set[asyncio.Task] = set()


def background(coro) -> asyncio.Task:
    """Run `coro` as a task that is kept until done (the loop holds tasks weakly)."""
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


def group_name(room_id: int) -> str:
    return f"live.room.{room_id}"


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
        """The same event as WebSocket frame bytes, also built once (live/wire.py)."""
        if self._wire is None:
            self._wire = wire.frame_bytes(self.text)
        return self._wire


class _Continue:
    """Finish a coroutine that was started by hand and suspended.

    The direct fan-out starts each socket's send synchronously (almost always it
    completes at once). When one suspends (the socket's buffer is full), this
    awaitable hands the rest of that very coroutine to a task, exactly as if a
    task had run it from the start: it yields what the coroutine yields and
    passes results and exceptions (cancellation) back in.
    """

    __slots__ = ("coro", "yielded")

    def __init__(self, coro, yielded) -> None:
        self.coro = coro
        self.yielded = yielded

    def __await__(self):
        yielded = self.yielded
        while True:
            try:
                sent = yield yielded
            except BaseException as exc:
                try:
                    yielded = self.coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    yielded = self.coro.send(sent)
                except StopIteration as stop:
                    return stop.value


class Listener:
    """A client of one room in this process: a WebSocket or an SSE stream."""

    __slots__ = ("buffer", "closed", "hub", "limit", "moderator", "on_drop", "user_key")

    def __init__(
        self,
        *,
        user_key: str = "",
        moderator: bool = False,
        on_drop: Callable[[str], None] | None = None,
        limit: int | None = None,
    ) -> None:
        self.user_key = user_key
        self.moderator = moderator
        self.on_drop = on_drop
        self.limit = limit or conf.get("LIVE_CLIENT_BACKLOG")
        # While joining: events the hub dispatched, kept until the batch is sent.
        self.buffer: list[Frame] | None = None
        self.closed = False
        self.hub: RoomHub | None = None

    def deliver(self, frame: Frame) -> None:
        if self.closed:
            return
        if self.buffer is not None:
            if len(self.buffer) >= self.limit:
                self.drop("slow")
            else:
                self.buffer.append(frame)
            return
        self._write(frame)

    def deliver_text(self, text: str) -> None:
        self.deliver(Frame(text))

    def _write(self, frame: Frame) -> None:
        raise NotImplementedError

    def drop(self, reason: str) -> None:
        """Stop sending to this client: "slow" (counted, told to resume) or "gone"."""
        if self.closed:
            return
        self.closed = True
        self._stop()
        if self.hub is not None:
            self.hub.leave(self, reason=reason)
        if self.on_drop is not None:
            self.on_drop(reason)

    def _stop(self) -> None:
        pass


class SocketListener(Listener):
    """A WebSocket, written to directly; a bounded backlog only while it is slow.

    With a `direct` writer (live/wire.py) the frame's bytes, encoded once for
    everyone, go straight to the socket; otherwise, and whenever the direct
    write declines (the socket is full or closing), through ASGI `send`."""

    __slots__ = ("backlog", "direct", "send", "writer")

    def __init__(
        self,
        *,
        send: Callable[[dict], Awaitable[None]],
        direct: Callable[[bytes], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.send = send
        self.direct = direct
        self.backlog: deque[dict] | None = None
        self.writer: asyncio.Task | None = None

    def _write(self, frame: Frame) -> None:
        if self.backlog is not None:  # a write is waiting: queue behind it
            if len(self.backlog) >= self.limit:
                self.drop("slow")
            else:
                self.backlog.append(frame.message)
            return
        if self.direct is not None and self.direct(frame.wire):
            return  # written: the usual case
        coro = self.send(frame.message)
        try:
            yielded = coro.send(None)
        except StopIteration:
            return  # written: the usual case
        except Exception:  # the socket is gone (the server raises on send)
            self.drop("gone")
            return
        self.backlog = deque()
        self.writer = asyncio.ensure_future(self._drain(_Continue(coro, yielded)))

    async def _drain(self, pending: Awaitable[None]) -> None:
        try:
            await pending
            while self.backlog:
                await self.send(self.backlog.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:
            self.drop("gone")
        finally:
            self.backlog = None
            self.writer = None

    def _stop(self) -> None:
        if self.writer is not None:
            self.writer.cancel()


class QueueListener(Listener):
    """A WebSocket with a bounded queue and its own writer task (LIVE_FANOUT_MODE="queue")."""

    __slots__ = ("queue", "send", "writer")

    def __init__(self, *, send: Callable[[dict], Awaitable[None]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.send = send
        self.queue: asyncio.Queue[dict] = asyncio.Queue(self.limit)
        self.writer = asyncio.ensure_future(self._pump())

    def _write(self, frame: Frame) -> None:
        try:
            self.queue.put_nowait(frame.message)
        except asyncio.QueueFull:
            self.drop("slow")

    async def _pump(self) -> None:
        try:
            while True:
                await self.send(await self.queue.get())
        except asyncio.CancelledError:
            raise
        except Exception:
            self.drop("gone")

    def _stop(self) -> None:
        self.writer.cancel()


class StreamListener(Listener):
    """An SSE response: frames wait in a bounded queue its generator reads.

    A `None` in the queue ends the stream (the client was too slow: the browser
    reconnects by itself and resumes with Last-Event-ID)."""

    __slots__ = ("queue",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()

    def _write(self, frame: Frame) -> None:
        if self.queue.qsize() >= self.limit:
            self.drop("slow")
        else:
            self.queue.put_nowait(frame.sse)

    def _stop(self) -> None:
        self.queue.put_nowait(None)


def socket_listener(*, send: Callable[[dict], Awaitable[None]], **kwargs: Any) -> Listener:
    if conf.get("LIVE_FANOUT_MODE") == "queue":
        return QueueListener(send=send, **kwargs)
    return SocketListener(send=send, direct=wire.direct_writer(send), **kwargs)


class RoomHub:
    """This process's listeners of one room and its one subscription for the room."""

    def __init__(self, room_id: int) -> None:
        self.room_id = room_id
        self.group = group_name(room_id)
        self.layer = get_channel_layer()
        self.loop = asyncio.get_running_loop()
        self.listeners: dict[Listener, None] = {}  # insertion-ordered set
        self.people: dict[str, int] = {}  # user key -> sockets (one person, several tabs)
        self.anonymous = 0
        self.next_seq = 0
        self.pending: dict[int, Frame] = {}
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.repair_scheduled = False
        self.audit_mark: tuple[int, int] | None = None
        self.presence = 0  # signed-in people here, all processes
        self.readers = 0  # anonymous readers (each socket), all processes
        self.presence_sent: tuple[int, int] | None = None
        # process -> (people, readers, when heard)
        self.presence_counts: dict[str, tuple[int, int, float]] = {}
        self.published_count: tuple[int, int] | None = None
        self.published_at = 0.0
        self.peak_recorded = 0
        self.reactions: dict[int, tuple[int, int]] = {}  # message id -> (rev, count)
        self.reactions_dirty: set[int] = set()
        self.tasks: list[asyncio.Task] = []
        self.channel = ""
        self.idle_handle: asyncio.TimerHandle | None = None
        self.closing = False
        self.started: asyncio.Future | None = None
        self.stats = {"delivered": 0, "dropped_slow": 0, "repairs": 0, "joined": 0}
        self.entries: set[int] = set()
        self.reset_cache: tuple[int, str] | None = None

    # --- Life cycle ------------------------------------------------------------------

    async def start(self) -> None:
        self.channel = await self.layer.new_channel("live.hub.")
        await self.layer.group_add(self.group, self.channel)
        # Subscribed first, then read: anything numbered after this read arrives live.
        self.next_seq = await db_call(selectors.last_seq)(self.room_id) + 1
        self.tasks = [
            asyncio.ensure_future(self._read()),
            asyncio.ensure_future(self._work()),
            asyncio.ensure_future(self._tick()),
        ]

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self.layer.group_discard(self.group, self.channel)
        except Exception:  # the layer may be gone at shutdown; the hub is gone anyway
            logger.warning("live: could not leave group %s", self.group, exc_info=True)

    def _schedule_close(self) -> None:
        if self.idle_handle is None:
            self.idle_handle = self.loop.call_later(IDLE_CLOSE, self._close_if_idle)

    def _close_if_idle(self) -> None:
        self.idle_handle = None
        if self.listeners or self.closing:
            return
        self.closing = True
        if _hubs.get(self.room_id) is self:
            del _hubs[self.room_id]
        background(self.close())

    # --- Listeners ---------------------------------------------------------------------

    async def join(
        self, listener: Listener, *, after: int | None, first: list[str] | None = None
    ) -> None:
        """Add a listener: `first` frames, then the batch after `after`, then live events."""
        listener.hub = self
        listener.buffer = []
        self.listeners[listener] = None
        self._count(listener, +1)
        if self.idle_handle is not None:
            self.idle_handle.cancel()
            self.idle_handle = None
        try:
            text, high = await self._batch(after)
        except BaseException:
            self.leave(listener)
            raise
        buffered, listener.buffer = listener.buffer or [], None
        for frame_text in first or ():
            listener.deliver_text(frame_text)
        listener.deliver(Frame(text, high))
        for frame in buffered:
            if frame.seq == 0 or frame.seq > high:
                listener.deliver(frame)
        self.stats["joined"] += 1
        _joined_since_freeze()

    async def _batch(self, after: int | None) -> tuple[str, int]:
        """The joining client's batch. Without the database when the hub knows it:
        a client that has seen everything dispatched gets an empty batch, and
        clients asking for the latest history share one copy while nothing new
        happens (thousands join a webinar within a minute)."""
        current = self.next_seq - 1
        if not self.pending and after is not None and after == current:
            return protocol.batch_frame(first=after + 1, last=after, messages=[], room={}), after
        cached = self.reset_cache
        if not self.pending and after is None and cached and cached[0] == current:
            return cached[1], current
        text, high = await db_call(selectors.batch_after)(room_id=self.room_id, after=after)
        if after is None and high == self.next_seq - 1:
            self.reset_cache = (high, text)
        return text, high

    def record_entry(self, user_id: int) -> None:
        """Note that a signed-in person entered; recorded in the database in batches
        (participants, attendance), once a second at most, off the handshake's path."""
        if not self.entries:
            self.loop.call_later(ENTRY_BATCH_DELAY, self._record_entries)
        self.entries.add(user_id)

    def _record_entries(self) -> None:
        entries, self.entries = sorted(self.entries), set()
        if entries:
            background(self._store_entries(entries))

    async def _store_entries(self, user_ids: list[int]) -> None:
        from convene.live import services  # services import this module

        try:
            await db_call(services.participants_join)(room_id=self.room_id, user_ids=user_ids)
        except Exception:
            logger.exception(
                "live: room %s could not record %d entries", self.room_id, len(user_ids)
            )

    def leave(self, listener: Listener, *, reason: str = "gone") -> None:
        if listener not in self.listeners:
            return
        del self.listeners[listener]
        self._count(listener, -1)
        if reason == "slow":
            self.stats["dropped_slow"] += 1
            logger.info("live: room %s dropped a slow client", self.room_id)
        if not self.listeners:
            self._schedule_close()

    def _count(self, listener: Listener, change: int) -> None:
        key = listener.user_key
        if not key:
            self.anonymous += change
            return
        sockets = self.people.get(key, 0) + change
        if sockets > 0:
            self.people[key] = sockets
        else:
            self.people.pop(key, None)

    @property
    def local_presence(self) -> tuple[int, int]:
        """(signed-in people, anonymous readers) in this process."""
        return len(self.people), self.anonymous

    # --- Receiving ------------------------------------------------------------------------

    async def _read(self) -> None:
        # Receive into our own queue: the worker can then wait with a timeout
        # without cancelling the layer's receive (which some layers dislike).
        while True:
            message = await self.layer.receive(self.channel)
            self.inbox.put_nowait(message)

    async def _work(self) -> None:
        while True:
            message = await self.inbox.get()
            try:
                await self._handle(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception(
                    "live: room %s could not handle %s", self.room_id, message.get("type")
                )

    async def _handle(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "live.frame":
            await self._frame(int(message["seq"]), message["text"])
        elif kind == "live.repair":
            await self._repair(upto=message.get("upto"))
        elif kind == "live.reactions":
            self._reaction(message)
        elif kind == "live.presence":
            self.presence_counts[message["process"]] = (
                int(message["count"]),
                int(message.get("readers", 0)),  # a process of the version before readers
                time.monotonic(),
            )
        elif kind == "live.user":
            await self._dispatch(
                Frame(message["text"]), only=lambda lis: lis.user_key == message["user"]
            )
        elif kind == "live.moderators":
            await self._dispatch(Frame(message["text"]), only=lambda lis: lis.moderator)
        elif kind == "live.flush_reactions":
            await self._flush_reactions()

    async def _frame(self, seq: int, text: str) -> None:
        if seq < self.next_seq:
            return  # already sent (a duplicate, or covered by a repair)
        if seq > self.next_seq:
            self.pending[seq] = Frame(text, seq)
            if not self.repair_scheduled:
                self.repair_scheduled = True
                self.loop.call_later(REPAIR_DELAY, self.inbox.put_nowait, {"type": "live.repair"})
            return
        await self._dispatch(Frame(text, seq))
        self.next_seq = seq + 1
        await self._flush_pending()

    async def _flush_pending(self) -> None:
        while self.next_seq in self.pending:
            frame = self.pending.pop(self.next_seq)
            await self._dispatch(frame)
            self.next_seq += 1
        # Anything older than next_seq is covered already.
        for seq in [s for s in self.pending if s < self.next_seq]:
            del self.pending[seq]

    async def _repair(self, *, upto: int | None = None) -> None:
        """Fetch the missing numbers from the database and send them as one batch."""
        self.repair_scheduled = False
        if upto is None:
            if not self.pending:
                return  # the late event arrived meanwhile
            upto = min(self.pending) - 1
        if upto < self.next_seq:
            return
        self.stats["repairs"] += 1
        text, high = await db_call(selectors.batch_after)(
            room_id=self.room_id, after=self.next_seq - 1, upto=upto
        )
        if high >= self.next_seq:
            await self._dispatch(Frame(text, high))
            self.next_seq = high + 1
        await self._flush_pending()

    async def _dispatch(
        self, frame: Frame, *, only: Callable[[Listener], bool] | None = None
    ) -> None:
        listeners = tuple(self.listeners)
        for index, listener in enumerate(listeners, 1):
            if only is None or only(listener):
                listener.deliver(frame)
            if index % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        self.stats["delivered"] += len(listeners)

    # --- Reactions and presence: counts, coalesced, without numbers -----------------------

    def _reaction(self, message: dict) -> None:
        message_id, rev, count = int(message["message"]), int(message["rev"]), int(message["count"])
        if self.reactions.get(message_id, (-1, 0))[0] >= rev:
            return
        self.reactions[message_id] = (rev, count)
        if not self.reactions_dirty:
            self.loop.call_later(0.5, self.inbox.put_nowait, {"type": "live.flush_reactions"})
        self.reactions_dirty.add(message_id)

    async def _flush_reactions(self) -> None:
        counts = {mid: self.reactions[mid][1] for mid in self.reactions_dirty}
        self.reactions_dirty = set()
        if counts:
            await self._dispatch(Frame(protocol.reactions_frame(counts)))

    async def _tick(self) -> None:
        interval = conf.get("LIVE_PRESENCE_INTERVAL")
        last_audit = last_rejoin = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            try:
                await self._presence_tick(now)
                if now - last_audit >= AUDIT_INTERVAL and self.listeners:
                    last_audit = now
                    await self._audit()
                if now - last_rejoin >= REJOIN_INTERVAL:
                    last_rejoin = now
                    await self.layer.group_add(self.group, self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live: room %s housekeeping failed", self.room_id)

    async def _presence_tick(self, now: float) -> None:
        local = self.local_presence
        if local != self.published_count or now - self.published_at > PRESENCE_STALE / 3:
            self.published_count, self.published_at = local, now
            await self.layer.group_send(
                self.group,
                {
                    "type": "live.presence",
                    "process": PROCESS_ID,
                    "count": local[0],
                    "readers": local[1],
                },
            )
        # Our own count is current even before our publication comes back.
        self.presence_counts[PROCESS_ID] = (*local, now)
        current = [
            (p, r) for p, r, at in self.presence_counts.values() if now - at < PRESENCE_STALE
        ]
        self.presence = sum(p for p, _ in current)
        self.readers = sum(r for _, r in current)
        counts = (self.presence, self.readers)
        if counts != self.presence_sent:
            # Noted even with nobody to tell: people who join next get the hello's
            # (now stale) counts, and the next change must reach them.
            self.presence_sent = counts
            if self.listeners:
                await self._dispatch(Frame(protocol.presence_frame(*counts)))
        total = self.presence + self.readers  # the peak counts everyone, readers too
        if total > self.peak_recorded:
            self.peak_recorded = total
            from convene.live import services  # services import this module

            await db_call(services.room_presence_record)(room_id=self.room_id, count=total)

    async def _audit(self) -> None:
        """Catch a lost event that no later event revealed (the last one of a quiet spell)."""
        latest = await db_call(selectors.last_seq)(self.room_id)
        previous, self.audit_mark = self.audit_mark, (self.next_seq, latest)
        if previous and previous[0] == self.next_seq and previous[1] >= self.next_seq:
            await self._repair(upto=previous[1])


# --- The process's hubs -------------------------------------------------------------------

_hubs: dict[int, RoomHub] = {}
_hub_loop: asyncio.AbstractEventLoop | None = None
_outbox: asyncio.Queue | None = None
_publisher: asyncio.Task | None = None
_freeze_after = 0
_freeze_handle: asyncio.TimerHandle | None = None
FREEZE_EVERY = 500


async def hub_for(room_id: int) -> RoomHub:
    """The room's hub in this process, started on first use."""
    global _hub_loop
    _hub_loop = asyncio.get_running_loop()
    hub = _hubs.get(room_id)
    if hub is None or hub.closing:
        hub = _hubs[room_id] = RoomHub(room_id)
        hub.started = asyncio.ensure_future(hub.start())
    try:
        await asyncio.shield(hub.started)
    except Exception:
        if _hubs.get(room_id) is hub:
            del _hubs[room_id]
        raise
    return hub


def hubs() -> dict[int, RoomHub]:
    return dict(_hubs)


async def reset() -> None:
    """Close every hub of this process (tests; a clean shutdown)."""
    global _hub_loop, _outbox, _publisher
    for hub in list(_hubs.values()):
        hub.closing = True
        if hub.entries:
            await hub._store_entries(sorted(hub.entries))
            hub.entries = set()
        if hub.started is not None and not hub.started.done():
            hub.started.cancel()
        await hub.close()
    _hubs.clear()
    if _publisher is not None:
        _publisher.cancel()
    _hub_loop = _outbox = _publisher = None


def _joined_since_freeze() -> None:
    """After each wave of joins, move the long-lived objects out of the collector's
    way (gc.freeze): a full collection over thousands of sockets pauses the room."""
    global _freeze_after, _freeze_handle
    _freeze_after += 1
    if _freeze_after >= FREEZE_EVERY and _freeze_handle is None and _hub_loop is not None:
        _freeze_handle = _hub_loop.call_later(1.0, _freeze)


def _freeze() -> None:
    global _freeze_after, _freeze_handle
    _freeze_after, _freeze_handle = 0, None
    gc.freeze()


# --- Publishing (from services, after commit; any thread) ---------------------------------


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
