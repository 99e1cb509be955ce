"""The hub: deliver each room event once to every socket of the room in this process.

One `RoomHub` per room per process holds the room's local listeners (WebSocket
and SSE clients, listeners.py) and the process's single channel-layer
subscription for the room (group `live.room.<id>`). Services publish an event
after their transaction commits (publish.py); every process's hub receives it
through the channel layer and writes the same frame to each local socket:
built once, never per recipient (wire.py).

Order and completeness: sequenced events carry the room's number. The hub
dispatches them strictly in order, holds early arrivals, and repairs a gap
(a lost or late publication) with a batch from its store, so every listener
sees every number once. A client joining or resuming gets a batch from the
store while the hub buffers live events for it; afterwards it gets those the
batch did not cover (docs/live-protocol.md explains why nothing falls between
the two).

The database is not the hub's: its `RoomStore`, passed in by the caller of
`hub_for` (convene.live.handlers.store), reads batches and numbers and records
entries and the peak presence. The hub only encodes its own counts (presence,
reactions) and an empty batch, through convene.live.protocol.
"""

import asyncio
import contextlib
import gc
import logging
import time
import uuid
from collections.abc import Callable
from typing import Protocol

from channels.layers import get_channel_layer

from convene.live import protocol
from convene.live.transport import publish
from convene.live.transport.listeners import Listener
from convene.live.transport.wire import Frame

logger = logging.getLogger(__name__)

# Names this process in presence counts shared with other processes.
PROCESS_ID = uuid.uuid4().hex[:12]
# Seconds between presence updates (a hub sends at most one per interval).
PRESENCE_INTERVAL = 2.0
# How long a hub waits for a missing number before fetching it from its store.
REPAIR_DELAY = 0.25
# Seconds between the hub's checks of the room's number (catches a lost last event).
AUDIT_INTERVAL = 5.0
# A process's presence count older than this no longer counts.
PRESENCE_STALE = 15.0
# A hub with no listeners closes after this long (people reconnecting keep it).
IDLE_CLOSE = 30.0
# Let other work run after this many writes within one dispatch.
YIELD_EVERY = 1000
# Entries (participants, attendance) are recorded at most this often, in one batch.
ENTRY_BATCH_DELAY = 1.0
# Refresh the group membership (the in-memory layer expires it after a day).
REJOIN_INTERVAL = 600.0


class RoomStore(Protocol):
    """What a hub needs from the database, given to it by the live app.

    Each method does its own database call off the event loop; batches come
    already encoded (protocol.batch_frame) with the number they go up to."""

    async def last_seq(self, room_id: int) -> int: ...

    async def batch(
        self, room_id: int, *, after: int | None, upto: int | None = None
    ) -> tuple[str, int]: ...

    async def record_entries(self, room_id: int, user_ids: list[int]) -> None: ...

    async def record_peak(self, room_id: int, count: int) -> None: ...


_background: set[asyncio.Task] = set()


def background(coro) -> asyncio.Task:
    """Run `coro` as a task that is kept until done (the loop holds tasks weakly)."""
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


class RoomHub:
    """This process's listeners of one room and its one subscription for the room."""

    def __init__(self, room_id: int, store: RoomStore) -> None:
        self.room_id = room_id
        self.store = store
        self.group = publish.group_name(room_id)
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
        self.next_seq = await self.store.last_seq(self.room_id) + 1
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
            return protocol.batch_frame(first=after + 1, last=after, messages=[]), after
        cached = self.reset_cache
        if not self.pending and after is None and cached and cached[0] == current:
            return cached[1], current
        text, high = await self.store.batch(self.room_id, after=after)
        if after is None and high == self.next_seq - 1:
            self.reset_cache = (high, text)
        return text, high

    def record_entry(self, user_id: int) -> None:
        """Note that a signed-in person entered; the store records entries in batches
        (participants, attendance), once a second at most, off the handshake's path."""
        if not self.entries:
            self.loop.call_later(ENTRY_BATCH_DELAY, self._record_entries)
        self.entries.add(user_id)

    def _record_entries(self) -> None:
        entries, self.entries = sorted(self.entries), set()
        if entries:
            background(self._store_entries(entries))

    async def _store_entries(self, user_ids: list[int]) -> None:
        try:
            await self.store.record_entries(self.room_id, user_ids)
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
        """Fetch the missing numbers from the store and send them as one batch."""
        self.repair_scheduled = False
        if upto is None:
            if not self.pending:
                return  # the late event arrived meanwhile
            upto = min(self.pending) - 1
        if upto < self.next_seq:
            return
        self.stats["repairs"] += 1
        text, high = await self.store.batch(self.room_id, after=self.next_seq - 1, upto=upto)
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
        interval = PRESENCE_INTERVAL
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
            await self.store.record_peak(self.room_id, total)

    async def _audit(self) -> None:
        """Catch a lost event that no later event revealed (the last one of a quiet spell)."""
        latest = await self.store.last_seq(self.room_id)
        previous, self.audit_mark = self.audit_mark, (self.next_seq, latest)
        if previous and previous[0] == self.next_seq and previous[1] >= self.next_seq:
            await self._repair(upto=previous[1])


# --- The process's hubs -------------------------------------------------------------------

_hubs: dict[int, RoomHub] = {}
_hub_loop: asyncio.AbstractEventLoop | None = None
_freeze_after = 0
_freeze_handle: asyncio.TimerHandle | None = None
FREEZE_EVERY = 500


async def hub_for(room_id: int, *, store: RoomStore) -> RoomHub:
    """The room's hub in this process, started on first use with `store`."""
    global _hub_loop
    _hub_loop = asyncio.get_running_loop()
    publish.use_loop(_hub_loop)
    hub = _hubs.get(room_id)
    if hub is None or hub.closing:
        hub = _hubs[room_id] = RoomHub(room_id, store)
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
    global _hub_loop
    for hub in list(_hubs.values()):
        hub.closing = True
        if hub.entries:
            await hub._store_entries(sorted(hub.entries))
            hub.entries = set()
        if hub.started is not None and not hub.started.done():
            hub.started.cancel()
        await hub.close()
    _hubs.clear()
    publish.reset()
    _hub_loop = None


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
