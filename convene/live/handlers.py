"""What a client command does, the same over WebSocket and over POST (the fallback),
and what the room's hubs need from the database (`store`).

Synchronous (the ORM): consumers call these through `db_call` (live/db.py),
views call them directly. Each returns the frame for the sender only (an
acknowledgement or a polite refusal); what everyone sees is published by the
services after commit.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from convene.live import actions, protocol, selectors, services
from convene.live.db import db_call
from convene.live.models import Room
from convene.live.protocol import Command
from convene.live.selectors import RoomAccess

FORBIDDEN_POST = "Only people registered for this session can write here."
FORBIDDEN_MODERATE = "Only hosts, moderators and organisers can do that."
SIGN_IN = "Sign in to do that."
NOT_FOUND = "That message is not in this room (it may have been removed)."


def enter(*, room_id: int, user) -> RoomAccess | None:
    """Who the person is in the room (None: no such room). Reads only: the hub
    records entries (participants, attendance) in batches afterwards."""
    room = selectors.room_for_access(room_id)
    if room is None:
        return None
    return selectors.room_access(user=user, room=room, directory=selectors.room_directory(room))


def hello_frame(access: RoomAccess, *, presence: int, readers: int, transport: str) -> str:
    """`presence`: signed-in people here; `readers`: reading without signing in."""
    return protocol.encode(
        {
            "type": "hello",
            "transport": transport,
            "presence": presence,
            "readers": readers,
            "you": {
                "name": access.name,
                "can_post": access.can_post,
                "can_moderate": access.can_moderate,
                "muted": access.muted,
            },
            "limits": {
                "max_length": settings.LIVE_MESSAGE_MAX_LENGTH,
                "rate": list(settings.LIVE_RATE_LIMIT),
            },
        }
    )


def batch_for(*, room_id: int, after: int | None, upto: int | None = None) -> tuple[str, int]:
    """The batch frame for a client (re)connecting after `after`, and the number it
    goes up to (selectors.batch_after, encoded by the protocol)."""
    found = selectors.batch_after(room_id=room_id, after=after, upto=upto)
    frame = protocol.batch_frame(
        first=found.first,
        last=found.last,
        messages=found.messages,
        room=found.room,
        reset=found.reset,
    )
    return frame, found.last


class HubStore:
    """The database side of the room's hubs (transport.hub.RoomStore): reads through
    selectors, records through services, each in one `db_call`; the transport
    itself never touches the database (convene/live/transport/)."""

    async def last_seq(self, room_id: int) -> int:
        return await db_call(selectors.last_seq)(room_id)

    async def batch(
        self, room_id: int, *, after: int | None, upto: int | None = None
    ) -> tuple[str, int]:
        return await db_call(batch_for)(room_id=room_id, after=after, upto=upto)

    async def record_entries(self, room_id: int, user_ids: list[int]) -> None:
        """People entered (the hub batches them): services.participants_join."""
        await db_call(services.participants_join)(room_id=room_id, user_ids=user_ids)

    async def record_peak(self, room_id: int, count: int) -> None:
        """The room's presence reached `count`: services.room_presence_record."""
        await db_call(services.room_presence_record)(room_id=room_id, count=count)


store = HubStore()


def _error(code: str, message: str, command: Command, **extra) -> str:
    if command.client_id:
        extra["client_id"] = command.client_id
    if command.message is not None:
        extra["message_id"] = command.message
    return protocol.error_frame(code, message, command=command.type, **extra)


def perform(*, command: Command, access: RoomAccess, user) -> str | None:
    """Carry out one command for this person; the reply frame for them, if any."""
    if command.type == "ping":
        return protocol.encode({"type": "pong"})
    room = selectors.room_by_id(access.room_id)
    if room is None:
        return _error("no_room", "This chat room no longer exists.", command)
    try:
        return _perform(room, command, access, user)
    except services.RefusedError as refused:
        extra = {"retry_after": refused.retry_after} if refused.retry_after else {}
        return _error(refused.code, refused.messages[0], command, **extra)
    except ObjectDoesNotExist:
        return _error("not_found", NOT_FOUND, command)


def _message(room: Room, command: Command):
    message = selectors.message_in_room(room_id=room.pk, message_id=command.message)
    if message is None:
        raise services.RefusedError("not_found", NOT_FOUND)
    return message


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise services.RefusedError("forbidden", message)


def _perform(room: Room, command: Command, access: RoomAccess, user) -> str | None:
    kind = command.type
    if kind == "send":
        _need(access.can_post, FORBIDDEN_POST)
        message, created = services.message_post(
            room=room,
            author=user,
            text=command.text,
            client_id=command.client_id,
            reply_to_id=command.reply_to,
        )
        return _ack(command, message, created)
    if kind == "report":
        _need(user.is_authenticated and access.can_read, SIGN_IN)
        services.message_report(message=_message(room, command), by=user, reason=command.reason)
        return _done(command, announce="Thank you. The moderators have been told.")
    if kind == "react":
        _need(access.can_post, FORBIDDEN_POST)
        reacted, count = services.reaction_toggle(message=_message(room, command), user=user)
        return protocol.encode(
            {"type": "reacted", "message": command.message, "on": reacted, "count": count}
        )
    if kind == "action":
        _need(user.is_authenticated and access.can_read, SIGN_IN)
        announce = actions.run(
            name=command.name, message=_message(room, command), user=user, access=access
        )
        return _done(command, announce=announce)
    # Everything below moderates the room.
    _need(access.can_moderate, FORBIDDEN_MODERATE)
    if kind == "prompt":
        prompt, created = services.prompt_post(
            room=room, author=user, text=command.text, client_id=command.client_id
        )
        return _ack(command, prompt, created)
    if kind == "hide":
        services.message_hide(message=_message(room, command), by=user)
        return _done(command, announce="Message hidden for everyone.")
    if kind == "question":
        services.message_mark_question(
            message=_message(room, command), by=user, is_question=command.on
        )
        return _done(
            command,
            announce="Tagged as a question to answer later in this chat."
            if command.on
            else "The question tag is removed.",
        )
    if kind == "mute":
        author = _message(room, command).author
        if author is None:
            raise services.RefusedError("not_found", "That message has no author who can be muted.")
        services.participant_mute(room=room, user=author, by=user, muted=command.on)
        return _done(
            command,
            announce=f"{selectors.display_name(author)} is "
            + ("muted for this session." if command.on else "no longer muted."),
        )
    if kind == "unpin":
        services.prompt_unpin(room=room, by=user)
        return _done(command, announce="The prompt is no longer pinned.")
    if kind == "slow_mode":
        services.room_slow_mode_set(room=room, seconds=command.seconds, by=user)
        return _done(
            command,
            announce=f"Slow mode: one message every {command.seconds} seconds each."
            if command.seconds
            else "Slow mode is off.",
        )
    if kind == "chat":
        services.room_open_set(room=room, is_open=command.on, by=user)
        return _done(command, announce="The chat is open." if command.on else "The chat is closed.")
    return _error("unknown_type", "Unknown command type.", command)  # pragma: no cover


def _ack(command: Command, message, created: bool) -> str:
    return protocol.encode(
        {
            "type": "ack",
            "client_id": command.client_id,
            "id": message.pk,
            "seq": message.seq,
            "duplicate": not created,
        }
    )


def _done(command: Command, *, announce: str) -> str:
    return protocol.encode(
        {
            "type": "done",
            "command": command.type,
            "message_id": command.message,
            "announce": announce,
        }
    )
