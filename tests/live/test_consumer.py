"""The room's WebSocket, through the whole ASGI stack (Origin check, session cookie,
routing) with channels' WebsocketCommunicator and the in-memory channel layer."""

import json

import pytest

from convene.live import services
from convene.live.models import Message, Participant
from convene.live.transport import hub as transport_hub
from tests.live.conftest import (
    UNNUMBERED,
    communicator,
    joined,
    next_frame,
    registered_person,
    run,
    send,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def post(comm, text, client_id, **extra):
    await send(comm, type="send", client_id=client_id, text=text, **extra)


async def until(comm, kind, **fields):
    """The first frame of `kind` (whose fields match); frames before it are dropped."""
    while True:
        frame = await next_frame(comm, skip=UNNUMBERED - {kind})
        if frame["type"] == kind and all(frame.get(k) == v for k, v in fields.items()):
            return frame


async def collect(comm, **counts) -> dict[str, list[dict]]:
    """Frames by kind, in arrival order, until each kind has its count.

    (A sender's ack and the broadcast of its message may arrive in either order.)"""
    frames: dict[str, list[dict]] = {kind: [] for kind in counts}
    while any(len(frames[k]) < n for k, n in counts.items()):
        frame = await next_frame(comm)
        if frame["type"] in frames:
            frames[frame["type"]].append(frame)
    return frames


def test_entering_gives_hello_then_the_latest_history(room, registered, moderator):
    services.message_import(
        room=room, author_name="Ann", badge="", text="Earlier", client_id="old-message"
    )

    async def scenario():
        comm, hello, batch = await joined(room, registered)
        await comm.disconnect()
        return hello, batch

    hello, batch = run(scenario)

    assert hello["you"] == {
        "name": "Ade Attendee",
        "can_post": True,
        "can_moderate": False,
        "muted": False,
    }
    assert (batch["reset"], batch["to"], [m["text"] for m in batch["messages"]]) == (
        True,
        1,
        ["Earlier"],
    )
    assert Participant.objects.filter(user=registered).exists()


def test_messages_reach_everyone_in_order_and_the_sender_gets_an_ack(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await post(alice, "First", "client-first")
        first = await collect(alice, ack=1, message=1)
        await post(mo, "Second", "client-second")
        second = await collect(alice, message=1)
        seen_by_mo = (await collect(mo, message=2))["message"]
        await alice.disconnect()
        await mo.disconnect()
        return first["ack"][0], first["message"] + second["message"], seen_by_mo

    ack, seen, seen_by_mo = run(scenario)

    assert (ack["client_id"], ack["seq"], ack["duplicate"]) == ("client-first", 1, False)
    assert [(f["seq"], f["message"]["text"]) for f in seen] == [(1, "First"), (2, "Second")]
    assert seen_by_mo == seen
    assert seen[1]["message"]["badge"] == "moderator"


def test_reconnecting_with_the_last_number_gets_exactly_the_missed_messages(
    room, registered, event
):
    other = registered_person(event, name="Bea")

    async def scenario():
        alice, _, _ = await joined(room, registered)
        bea, _, _ = await joined(room, other)
        await post(alice, "Before I left", "client-before")
        last_seen = (await collect(alice, message=1, ack=1))["message"][0]["seq"]
        await alice.disconnect()
        for index in range(3):
            await post(bea, f"Missed {index}", f"client-missed-{index}")
            await until(bea, "ack")
        alice, _, batch = await joined(room, registered, after=last_seen)
        await post(bea, "Live again", "client-live")
        live = await until(alice, "message")
        await alice.disconnect()
        await bea.disconnect()
        return last_seen, batch, live

    last_seen, batch, live = run(scenario)

    assert last_seen == 1
    assert (batch["reset"], batch["from"], batch["to"]) == (False, 2, 4)
    assert [(m["seq"], m["text"]) for m in batch["messages"]] == [
        (2, "Missed 0"),
        (3, "Missed 1"),
        (4, "Missed 2"),
    ]
    assert (live["seq"], live["message"]["text"]) == (5, "Live again")


def test_resume_includes_changes_to_earlier_messages(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        await post(alice, "Keep", "client-keep")
        await post(alice, "Remove", "client-remove")
        await collect(alice, message=2, ack=2)
        await alice.disconnect()
        remove = await Message.objects.aget(client_id="client-remove")
        from channels.db import database_sync_to_async

        await database_sync_to_async(services.message_hide)(message=remove, by=moderator)
        alice, _, batch = await joined(room, registered, after=2)
        await alice.disconnect()
        return batch

    batch = run(scenario)

    assert (batch["from"], batch["to"]) == (3, 3)
    assert [(m["seq"], m.get("hidden"), m.get("text")) for m in batch["messages"]] == [
        (2, True, None)
    ]


def test_a_retried_send_is_stored_and_broadcast_once(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await post(alice, "Only once", "client-retry")
        first = (await collect(alice, ack=1))["ack"][0]
        await post(alice, "Only once", "client-retry")
        second = (await collect(alice, ack=1))["ack"][0]
        await post(alice, "Next", "client-next")
        frames = [await until(mo, "message"), await until(mo, "message")]
        await alice.disconnect()
        await mo.disconnect()
        return first, second, frames

    first, second, frames = run(scenario)

    assert (first["seq"], first["duplicate"]) == (1, False)
    assert (second["seq"], second["id"], second["duplicate"]) == (1, first["id"], True)
    assert [f["message"]["text"] for f in frames] == ["Only once", "Next"]
    assert Message.objects.count() == 2


def test_hiding_a_message_removes_it_for_everyone_at_once(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await post(alice, "Regrettable", "client-oops")
        message = await until(mo, "message")
        await send(mo, type="hide", message=message["message"]["id"])
        done = await until(mo, "done")
        update = await until(alice, "update")
        await alice.disconnect()
        await mo.disconnect()
        return done, update

    done, update = run(scenario)

    assert done["announce"] == "Message hidden for everyone."
    assert update == {
        "type": "update",
        "seq": 2,
        "message": {"id": update["message"]["id"], "seq": 1, "hidden": True},
    }
    assert Message.objects.get().hidden_at is not None


def test_attendees_cannot_moderate(room, registered):
    services.message_import(
        room=room, author_name="A", badge="", text="x", client_id="some-message"
    )
    message_id = Message.objects.get().pk

    async def scenario():
        alice, _, _ = await joined(room, registered)
        replies = []
        for command in (
            {"type": "hide", "message": message_id},
            {"type": "slow_mode", "seconds": 10},
            {"type": "chat", "on": False},
            {"type": "prompt", "client_id": "prompt-by-attendee", "text": "Q?"},
        ):
            await send(alice, **command)
            replies.append(await until(alice, "error"))
        await alice.disconnect()
        return replies

    replies = run(scenario)

    assert {r["code"] for r in replies} == {"forbidden"}
    assert Message.objects.get().hidden_at is None


def test_rate_limit_refuses_politely_and_broadcasts_nothing(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        for index in range(6):
            await post(alice, f"Quick {index}", f"client-quick-{index}")
        replies = await collect(alice, ack=5, error=1)
        await post(mo, "After", "client-after")
        frames = (await collect(mo, message=6))["message"]
        await alice.disconnect()
        await mo.disconnect()
        return replies["error"][0], frames

    error, frames = run(scenario)

    assert (error["code"], error["client_id"]) == ("rate_limited", "client-quick-5")
    assert "5 every 10 seconds" in error["message"]
    assert [f["message"]["text"] for f in frames][-2:] == ["Quick 4", "After"]


def test_slow_mode_is_announced_to_the_room_and_enforced(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await send(mo, type="slow_mode", seconds=60)
        state = await until(alice, "room")
        await post(alice, "One", "client-slow-1")
        await collect(alice, ack=1)
        await post(alice, "Two", "client-slow-2")
        error = await until(alice, "error")
        await alice.disconnect()
        await mo.disconnect()
        return state, error

    state, error = run(scenario)

    assert state["room"] == {"open": True, "slow_mode": 60, "prompt": None}
    assert error["code"] == "slow_mode"


def test_a_muted_person_is_told_and_cannot_post(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await post(alice, "Shouting", "client-shout")
        message = await until(mo, "message")
        await send(mo, type="mute", message=message["message"]["id"], on=True)
        told = await until(alice, "you")
        await post(alice, "Still shouting", "client-shout-2")
        error = await until(alice, "error")
        await alice.disconnect()
        await mo.disconnect()
        return told, error

    told, error = run(scenario)

    assert told["muted"] is True
    assert error["code"] == "muted"
    assert Message.objects.count() == 1


def test_prompt_is_pinned_and_replies_link_to_it(room, registered, host):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        hana, _, _ = await joined(room, host)
        await send(
            hana,
            type="prompt",
            client_id="prompt-tip",
            text="What is your top tip to enable spread?",
        )
        prompt = await until(alice, "message")
        await post(alice, "Start small", "client-tip", reply_to=prompt["message"]["id"])
        reply = await until(hana, "message", seq=2)
        await alice.disconnect()
        alice, _, batch = await joined(room, registered)
        await alice.disconnect()
        await hana.disconnect()
        return prompt, reply, batch

    prompt, reply, batch = run(scenario)

    assert (prompt["message"]["kind"], prompt["message"]["badge"]) == ("prompt", "host")
    assert reply["message"]["reply_to"] == prompt["message"]["id"]
    assert batch["room"]["prompt"]["text"] == "What is your top tip to enable spread?"


def test_reactions_are_counted_and_sent_as_counts(room, registered, moderator, settings):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await post(mo, "Agree?", "client-agree")
        message = await until(alice, "message")
        await send(alice, type="react", message=message["message"]["id"])
        reacted = await until(alice, "reacted")
        counts = await until(mo, "reactions")
        await alice.disconnect()
        await mo.disconnect()
        return message, reacted, counts

    message, reacted, counts = run(scenario)

    assert (reacted["on"], reacted["count"]) == (True, 1)
    assert counts == {"type": "reactions", "counts": {str(message["message"]["id"]): 1}}


def test_outsider_cannot_open_a_registration_only_room(room, outsider):
    async def scenario():
        comm = await communicator(room, outsider)
        connected, code = await comm.connect(timeout=5)
        anonymous = await communicator(room)
        anonymous_connected, _ = await anonymous.connect(timeout=5)
        return connected, code, anonymous_connected

    connected, code, anonymous_connected = run(scenario)

    assert (connected, code, anonymous_connected) == (False, 4403, False)
    assert not Participant.objects.exists()


def test_an_open_room_can_be_read_but_not_written_by_outsiders(room, outsider, registered):
    services.room_settings_update(room=room, read_access="anyone")

    async def scenario():
        oz, hello, _ = await joined(room, outsider)
        await post(oz, "Can I?", "client-outsider")
        error = await until(oz, "error")
        await oz.disconnect()
        return hello, error

    hello, error = run(scenario)

    assert hello["you"]["can_post"] is False
    assert error["code"] == "forbidden"
    assert not Message.objects.exists()


def test_presence_counts_people_and_anonymous_readers_apart(room, registered, monkeypatch):
    monkeypatch.setattr(transport_hub, "PRESENCE_INTERVAL", 0.05)
    services.room_settings_update(room=room, read_access="anyone")

    async def scenario():
        ade, _, _ = await joined(room, registered)
        ade_again, _, _ = await joined(room, registered)  # a second tab: still one person
        readers = [(await joined(room))[0] for _ in range(2)]
        presence = await until(ade, "presence", count=1, readers=2)
        latecomer, hello, _ = await joined(room)
        for comm in (ade, ade_again, *readers, latecomer):
            await comm.disconnect()
        return presence, hello

    presence, hello = run(scenario)

    assert presence == {"type": "presence", "count": 1, "readers": 2}
    assert (hello["presence"], hello["readers"]) == (1, 2)


def test_a_page_from_another_site_cannot_open_the_socket(room, registered):
    from channels.testing import WebsocketCommunicator

    from convene.asgi import application
    from tests.live.conftest import cookie_for

    cookie = cookie_for(registered)

    async def scenario():
        comm = WebsocketCommunicator(
            application,
            f"/ws/live/rooms/{room.pk}/",
            headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie)],
        )
        connected, _ = await comm.connect(timeout=5)
        return connected

    assert run(scenario) is False


# --- Bad input: refused or closed cleanly; the room carries on ----------------------


def test_bad_frames_get_errors_and_the_room_carries_on(room, registered, moderator):
    async def scenario():
        alice, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        errors = []
        for raw in ["{nope", "[]", '{"type": "launch"}', '{"type": "send"}']:
            await alice.send_to(text_data=raw)
            errors.append((await until(alice, "error"))["code"])
        await post(mo, "Still here", "client-still")
        message = await until(alice, "message")
        await alice.disconnect()
        await mo.disconnect()
        return errors, message

    errors, message = run(scenario)

    assert errors == ["bad_json", "bad_request", "unknown_type", "bad_request"]
    assert message["message"]["text"] == "Still here"


def test_oversize_and_binary_frames_close_that_socket_only(room, registered, moderator, settings):
    async def scenario():
        big, _, _ = await joined(room, registered)
        binary, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        await big.send_to(
            text_data=json.dumps({"type": "send", "client_id": "big-frame", "text": "x" * 9000})
        )
        big_close = await big.receive_output(timeout=3)
        await binary.send_to(bytes_data=b"\x00\x01")
        binary_close = await binary.receive_output(timeout=3)
        await post(mo, "Unaffected", "client-unaffected")
        seen = await until(mo, "message")
        await mo.disconnect()
        return big_close, binary_close, seen

    big_close, binary_close, seen = run(scenario)

    assert big_close == {"type": "websocket.close", "code": 1009}
    assert binary_close == {"type": "websocket.close", "code": 1003}
    assert seen["message"]["text"] == "Unaffected"


def test_a_flood_of_frames_closes_the_socket_and_stores_at_most_the_rate_limit(
    room, registered, moderator
):
    async def scenario():
        flood, _, _ = await joined(room, registered)
        mo, _, _ = await joined(room, moderator)
        for index in range(500):
            await flood.send_to(
                text_data=json.dumps(
                    {"type": "send", "client_id": f"flood-{index:05d}", "text": "spam"}
                )
            )
        closed = None
        while closed is None:
            output = await flood.receive_output(timeout=10)
            if output["type"] == "websocket.close":
                closed = output
        await post(mo, "Calm", "client-calm")
        seen = (await collect(mo, message=6))["message"]
        await mo.disconnect()
        return closed, seen

    closed, seen = run(scenario)

    assert closed["code"] == 1008
    assert Message.objects.filter(author=registered).count() == 5
    assert seen[-1]["message"]["text"] == "Calm"


def test_too_many_bad_commands_close_the_socket(room, registered):
    async def scenario():
        comm, _, _ = await joined(room, registered)
        for _ in range(11):
            await comm.send_to(text_data="{")
        while True:
            output = await comm.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                return output

    assert run(scenario)["code"] == 1008
