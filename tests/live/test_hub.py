"""The hub: order, gap repair from the database, slow sockets bounded and dropped."""

import asyncio
import json
import time

import pytest
from django.db.models import F

from convene.live import handlers
from convene.live.models import Message, Participant, Room
from convene.live.transport import hub as transport_hub
from convene.live.transport.listeners import SocketListener, _Continue
from convene.live.transport.wire import Frame
from tests.live.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)


class FakeSocket:
    """An ASGI send that can be made to wait, like a socket whose buffer is full."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.writable = asyncio.Event()
        self.writable.set()

    async def send(self, message: dict) -> None:
        await self.writable.wait()
        self.texts.append(message["text"])

    def frames(self) -> list[dict]:
        return [json.loads(t) for t in self.texts]


def test_a_slow_socket_gets_a_backlog_and_catches_up_in_order():
    async def scenario():
        socket = FakeSocket()
        listener = SocketListener(send=socket.send, limit=10)
        socket.writable.clear()
        for n in range(3):
            listener.deliver(Frame(f'{{"n":{n}}}'))
        waiting = (len(socket.texts), len(listener.backlog))
        socket.writable.set()
        await asyncio.sleep(0.01)
        return waiting, socket.texts, listener.backlog

    waiting, texts, backlog = run(scenario)

    assert waiting == (0, 2)  # the first write waits, two queue behind it
    assert texts == ['{"n":0}', '{"n":1}', '{"n":2}']
    assert backlog is None


def test_a_socket_too_far_behind_is_dropped_and_counted(room):
    async def scenario():
        hub = await transport_hub.hub_for(room.pk, store=handlers.store)
        slow, fast = FakeSocket(), FakeSocket()
        dropped = []
        slow_listener = SocketListener(send=slow.send, limit=3, on_drop=dropped.append)
        fast_listener = SocketListener(send=fast.send, limit=3)
        await hub.join(slow_listener, after=0)
        await hub.join(fast_listener, after=0)
        slow.writable.clear()
        for n in range(1, 7):
            await hub._frame(n, f'{{"seq":{n}}}')
        return dropped, hub.stats["dropped_slow"], len(hub.listeners), fast.frames()

    dropped, counted, remaining, fast_frames = run(scenario)

    assert dropped == ["slow"]
    assert (counted, remaining) == (1, 1)
    assert [f["seq"] for f in fast_frames if "seq" in f and f.get("type") != "batch"] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_hub_puts_early_frames_in_order(room):
    async def scenario():
        hub = await transport_hub.hub_for(room.pk, store=handlers.store)
        socket = FakeSocket()
        await hub.join(SocketListener(send=socket.send, limit=10), after=0)
        await hub._frame(2, '{"type":"message","seq":2}')
        await hub._frame(1, '{"type":"message","seq":1}')
        await hub._frame(1, '{"type":"message","seq":1}')  # a duplicate
        return [f.get("seq") for f in socket.frames()[1:]]

    assert run(scenario) == [1, 2]


def test_hub_repairs_a_lost_publication_from_the_database(room):
    async def scenario():
        hub = await transport_hub.hub_for(room.pk, store=handlers.store)
        socket = FakeSocket()
        await hub.join(SocketListener(send=socket.send, limit=10), after=0)
        # Message 1 is stored, but its publication never arrives; message 2's does.
        await _store(room, 1, "lost in transit")
        await _store(room, 2, "arrived")
        hub.inbox.put_nowait({"type": "live.frame", "seq": 2, "text": '{"type":"message","seq":2}'})
        await asyncio.sleep(transport_hub.REPAIR_DELAY + 0.5)
        return socket.frames()[1:], hub.stats["repairs"]

    frames, repairs = run(scenario)

    assert repairs == 1
    assert (frames[0]["type"], frames[0]["from"], frames[0]["to"]) == ("batch", 1, 1)
    assert [m["text"] for m in frames[0]["messages"]] == ["lost in transit"]
    assert frames[1] == {"type": "message", "seq": 2}


def test_the_hub_records_entries_and_the_peak_through_the_store_it_is_given(room, registered):
    """The transport writes nothing itself: the live app's store (handlers.store)
    records, through services, who entered and the room's highest presence."""

    async def scenario():
        hub = await transport_hub.hub_for(room.pk, store=handlers.store)
        socket = FakeSocket()
        listener = SocketListener(send=socket.send, limit=10, user_key=f"u{registered.pk}")
        await hub.join(listener, after=0)
        hub.record_entry(registered.pk)
        await hub._presence_tick(time.monotonic())
        return socket.frames()[-1]

    presence = run(scenario)  # closing the hub records the entries still waiting

    room.refresh_from_db()
    assert presence == {"type": "presence", "count": 1, "readers": 0}
    assert room.peak_presence == 1
    assert list(Participant.objects.filter(room=room).values_list("user", flat=True)) == [
        registered.pk
    ]


async def _store(room, seq, text):
    from asgiref.sync import sync_to_async

    def store():
        Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + 1)
        Message.objects.create(
            room=room,
            seq=seq,
            updated_seq=seq,
            client_id=f"stored-{seq}",
            author_name="A",
            text=text,
        )

    await sync_to_async(store)()


def test_continue_finishes_a_coroutine_started_by_hand():
    async def scenario():
        gate = asyncio.Event()

        async def work():
            await gate.wait()
            return "done"

        coro = work()
        yielded = coro.send(None)  # suspends on the event
        task = asyncio.ensure_future(_Continue(coro, yielded))
        await asyncio.sleep(0)
        gate.set()
        return await task

    assert run(scenario) == "done"
