"""End to end: real uvicorn processes, real `websockets` clients, real Redis.

Each test gets its own server (a copy of a migrated SQLite file, seeded by
tests/live/e2e_seed.py) and stops it at the end."""

import asyncio
import contextlib
import json
import sqlite3

import pytest
import websockets

from tests.live import e2e

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return e2e.migrated_database(tmp_path_factory.mktemp("live-e2e"))


@pytest.fixture
def seeded(template, tmp_path):
    database, seed = e2e.seeded_copy(template, tmp_path)
    return database, json.loads(seed.read_text())


@pytest.fixture
def server(seeded, tmp_path):
    database, seed = seeded
    running = e2e.Server(e2e.environment(database), tmp_path / "uvicorn.log")
    yield running, seed, database
    running.stop()


async def connect(server, seed, who, *, after=None):
    url = f"ws://{e2e.HOST}:{server.port}/ws/live/rooms/{seed['room']}/"
    if after is not None:
        url += f"?after={after}"
    ws = await websockets.connect(
        url,
        origin=server.url,
        additional_headers={"Cookie": seed["cookies"][who]},
        compression=None,
        open_timeout=10,
    )
    hello, batch = json.loads(await ws.recv()), json.loads(await ws.recv())
    assert (hello["type"], batch["type"]) == ("hello", "batch")
    return ws, batch


async def take(ws, kind, count=1, timeout=5.0) -> list[dict]:
    found = []
    async with asyncio.timeout(timeout):
        while len(found) < count:
            frame = json.loads(await ws.recv())
            if frame["type"] == kind:
                found.append(frame)
    return found


async def until_closed(ws) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await ws.recv()


async def say(ws, text, client_id, **extra):
    await ws.send(json.dumps({"type": "send", "client_id": client_id, "text": text, **extra}))


def test_order_and_resume_through_a_real_server(server):
    running, seed, _ = server

    async def scenario():
        alice, _ = await connect(running, seed, "alice")
        bea, _ = await connect(running, seed, "bea")
        for index in range(3):
            await say(alice, f"A{index}", f"alice-{index:04d}")
        seen = await take(bea, "message", 3)
        await alice.close()
        for index in range(2):
            await say(bea, f"B{index}", f"bea-{index:04d}")
        await take(bea, "message", 2)
        alice, batch = await connect(running, seed, "alice", after=seen[-1]["seq"])
        await say(bea, "Live", "bea-live")
        live = await take(alice, "message")
        await alice.close()
        await bea.close()
        return seen, batch, live

    seen, batch, live = asyncio.run(scenario())

    assert [(f["seq"], f["message"]["text"]) for f in seen] == [(1, "A0"), (2, "A1"), (3, "A2")]
    assert [(m["seq"], m["text"]) for m in batch["messages"]] == [(4, "B0"), (5, "B1")]
    assert (batch["from"], batch["to"]) == (4, 5)
    assert live[0]["seq"] == 6


def test_a_retried_send_is_stored_once(server):
    running, seed, database = server

    async def scenario():
        alice, _ = await connect(running, seed, "alice")
        bea, _ = await connect(running, seed, "bea")
        await say(alice, "Once", "alice-retry")
        first = await take(alice, "ack")
        await alice.close()  # the connection drops before she sees the ack, say
        alice, _ = await connect(running, seed, "alice", after=0)
        await say(alice, "Once", "alice-retry")
        second = await take(alice, "ack")
        await say(alice, "Then", "alice-then")
        seen = await take(bea, "message", 2)
        await alice.close()
        await bea.close()
        return first[0], second[0], seen

    first, second, seen = asyncio.run(scenario())

    assert (first["duplicate"], second["duplicate"], second["id"]) == (False, True, first["id"])
    assert [f["message"]["text"] for f in seen] == ["Once", "Then"]
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM live_message").fetchone() == (2,)


def test_concurrent_posts_get_unique_contiguous_numbers(server):
    running, seed, database = server

    async def scenario():
        watcher, _ = await connect(running, seed, "mo")
        writers = [(await connect(running, seed, who))[0] for who in ("alice", "bea", "carl")]
        await asyncio.gather(
            *(
                say(ws, f"{index}-{n}", f"writer-{index}-{n:04d}")
                for index, ws in enumerate(writers)
                for n in range(4)
            )
        )
        seen = await take(watcher, "message", 12)
        for ws in [watcher, *writers]:
            await ws.close()
        return seen

    seen = asyncio.run(scenario())

    assert [f["seq"] for f in seen] == list(range(1, 13))
    with contextlib.closing(sqlite3.connect(database)) as db:
        stored = [row[0] for row in db.execute("SELECT seq FROM live_message ORDER BY seq")]
    assert stored == list(range(1, 13))


def test_outsiders_are_refused_at_the_handshake(server):
    running, seed, _ = server

    async def scenario():
        with pytest.raises(websockets.InvalidStatus) as refused:
            await connect(running, seed, "oz")
        return refused.value.response.status_code

    assert asyncio.run(scenario()) == 403


def test_bad_input_is_refused_or_closed_and_the_server_carries_on(server):
    running, seed, _ = server

    async def scenario():
        bea, _ = await connect(running, seed, "bea")
        results = {}
        # Invalid JSON and unknown types: an error frame, the socket stays.
        alice, _ = await connect(running, seed, "alice")
        await alice.send("{not json")
        await alice.send(json.dumps({"type": "teleport"}))
        errors = await take(alice, "error", 2)
        results["errors"] = [e["code"] for e in errors]
        # A frame over the server's size limit: closed with 1009.
        big, _ = await connect(running, seed, "carl")
        await big.send("x" * 100_000)
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(big.recv(), 5)
        results["oversize"] = big.close_code
        # 10,000 frames a second from one client: closed with 1008, at most 5 stored.
        flood, _ = await connect(running, seed, "alice")

        async def blast():
            for n in range(10_000):
                command = {"type": "send", "client_id": f"flood-{n:06d}", "text": "x"}
                await flood.send(json.dumps(command))
                if n % 100 == 0:
                    await asyncio.sleep(0.01)

        with contextlib.suppress(websockets.ConnectionClosed):
            await asyncio.wait_for(blast(), 10)
        await asyncio.wait_for(until_closed(flood), 10)
        results["flood"] = flood.close_code
        # Everyone else carries on.
        await say(bea, "Still fine", "bea-fine")
        results["bea"] = (await take(bea, "message", 6))[-1]["message"]["text"]
        await alice.close()
        await bea.close()
        return results

    results = asyncio.run(scenario())

    assert results["errors"] == ["bad_json", "unknown_type"]
    assert results["oversize"] == 1009
    assert results["flood"] == 1008
    assert results["bea"] == "Still fine"
    assert running.alive()


def test_two_server_processes_share_the_room_through_redis(seeded, tmp_path):
    database, seed = seeded
    env = e2e.environment(database, REDIS_URL=REDIS)
    first = e2e.Server(env, tmp_path / "first.log")
    second = e2e.Server(env, tmp_path / "second.log")
    try:

        async def scenario():
            alice, _ = await connect(first, seed, "alice")
            bea, _ = await connect(second, seed, "bea")
            await asyncio.sleep(0.5)  # both hubs subscribed
            await say(alice, "From the first process", "alice-first")
            at_bea = await take(bea, "message")
            await say(bea, "From the second process", "bea-second")
            at_alice = await take(alice, "message", 2)
            await alice.close()
            await bea.close()
            return at_bea, at_alice

        at_bea, at_alice = asyncio.run(scenario())
    finally:
        first.stop()
        second.stop()

    assert (at_bea[0]["seq"], at_bea[0]["message"]["text"]) == (1, "From the first process")
    assert [(f["seq"], f["message"]["text"]) for f in at_alice] == [
        (1, "From the first process"),
        (2, "From the second process"),
    ]
