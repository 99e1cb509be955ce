"""Every change to live rooms: one function each, keyword-only and atomic.

Store before broadcast: a change that clients see in order takes the room's
next number (`_next_seq`, an UPDATE ... RETURNING on the room row inside the
change's transaction: on PostgreSQL the row lock, on SQLite the IMMEDIATE
write lock, makes numbers follow commit order), is stored, and is published
only after the transaction commits (`transaction.on_commit`). A change that is
rolled back leaves no number and publishes nothing.

Refusals raise `RefusedError` (a ValidationError with a `code` and, for limits,
`retry_after` in seconds) and change nothing.
"""

import math
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from convene.accounts.models import User
from convene.attendance import services as attendance_services
from convene.core import audit
from convene.events.models import Event, Session
from convene.live import protocol, selectors
from convene.live import rules as live_rules
from convene.live.models import (
    LiveSettings,
    Message,
    Participant,
    Reaction,
    Report,
    Room,
)
from convene.live.transport.publish import (
    publish_frame,
    publish_reactions,
    publish_to_moderators,
    publish_to_user,
)


class RefusedError(ValidationError):
    """A change the room's rules do not allow now; nothing was stored."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message, code=code)
        self.code = code
        self.retry_after = retry_after


CLOSED = "The chat is closed at the moment. You can still read it."
MUTED = "A moderator has paused your messages in this session. You can still read the chat."
HIDDEN = "That message has been removed."


def _next_seq(room_id: int) -> int:
    """The room's next number, taken inside the caller's transaction."""
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",  # noqa: S608 - table name from the model, value bound
            [room_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise RefusedError("no_room", "This chat room no longer exists.")
    return row[0]


def _after_commit(function, *args) -> None:
    transaction.on_commit(partial(function, *args))


def _audit(
    room: Room,
    actor: User | None,
    action: str,
    *,
    target: User | None = None,
    message: Message | None = None,
    detail: str = "",
) -> None:
    """A moderation step in the event's audit log (core.audit), on the room; the
    room's management page lists the room's entries."""
    data: dict[str, object] = {}
    if message is not None:
        data["message"] = f"#{message.seq}"
    if detail:
        data["detail"] = detail
    audit.audit_record(
        actor=actor,
        action=f"live.{action}",
        obj=room,
        event_id=room.session.event_id,
        subject=target,
        data=data,
    )


def _room_state_frame(room: Room, seq: int) -> str:
    pinned = (
        Message.objects.filter(pk=room.pinned_prompt_id).first() if room.pinned_prompt_id else None
    )
    return protocol.room_frame(seq, room, pinned)


# --- Rooms and settings --------------------------------------------------------------------


@transaction.atomic
def room_ensure(*, session: Session) -> Room:
    """The session's room, made on first use. Side effect: a room row, once."""
    room, _ = Room.objects.get_or_create(session=session)
    return room


@transaction.atomic
def live_settings_update(
    *, event: Event, read_access: str, retention_days: int | None
) -> LiveSettings:
    """An organiser sets the event's defaults. Side effect: the settings row is written."""
    settings_row, _ = LiveSettings.objects.update_or_create(
        event=event, defaults={"read_access": read_access, "retention_days": retention_days}
    )
    return settings_row


@transaction.atomic
def chat_settings_copy(*, source: Event, copy: Event) -> None:
    """An event copied from `source` reads and keeps its chat as `source` did (not its
    rooms or messages): an `events.extensions.EVENT_COPIED` hook, run in the copy's
    transaction. Side effect: the copy's settings row, when `source` has one."""
    settings_row = selectors.live_settings_for(event=source)
    if settings_row is not None:
        live_settings_update(
            event=copy,
            read_access=settings_row.read_access,
            retention_days=settings_row.retention_days,
        )


@transaction.atomic
def room_settings_update(*, room: Room, read_access: str) -> Room:
    """An organiser overrides who can read this room ("" follows the event)."""
    room.read_access = read_access
    room.save(update_fields=["read_access"])
    return room


@transaction.atomic
def room_presence_record(*, room_id: int, count: int, at: datetime | None = None) -> bool:
    """Keep the room's highest presence. Side effect: the room row, only when higher."""
    return bool(
        Room.objects.filter(pk=room_id, peak_presence__lt=count).update(
            peak_presence=count, peak_presence_at=at or timezone.now()
        )
    )


@transaction.atomic
def participant_join(*, room: Room, user: User) -> Participant:
    """A signed-in person enters the room.

    Side effects, the first time only: 1. a participant row; 2. the session's
    attendance record (attendance.services.attendance_record_join).
    """
    participant, created = Participant.objects.get_or_create(room=room, user=user)
    if created:
        attendance_services.attendance_record_join(session=room.session, user=user)
    return participant


@transaction.atomic
def participants_join(*, room_id: int, user_ids: list[int]) -> list[int]:
    """Several people entered the room (the hub records entries in batches, off the
    handshake's path). Returns the ids of those who entered for the first time.

    Side effects: 1. a participant row for each first entry; 2. after commit, a
    background task records their attendance (tasks.record_attendance), so
    thousands of entries do not queue behind attendance's writes.
    """
    known = set(
        Participant.objects.filter(room_id=room_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    new = [pk for pk in dict.fromkeys(user_ids) if pk not in known]
    Participant.objects.bulk_create(
        [Participant(room_id=room_id, user_id=pk) for pk in new], ignore_conflicts=True
    )
    if new:
        from convene.live import tasks

        transaction.on_commit(
            partial(tasks.record_attendance.enqueue, room_id=room_id, user_ids=new)
        )
    return new


def attendance_record(*, room_id: int, user_ids: list[int]) -> int:
    """Record that these people joined the room's session (attendance's service,
    once per person: recording again keeps the first time). Returns how many."""
    room = Room.objects.select_related("session").get(pk=room_id)
    users = list(User.objects.filter(pk__in=user_ids))
    for user in users:
        attendance_services.attendance_record_join(session=room.session, user=user)
    return len(users)


# --- Messages ------------------------------------------------------------------------------


def _check_can_write(room: Room, author: User, *, moderator: bool) -> None:
    if not room.is_open and not moderator:
        raise RefusedError("closed", CLOSED)
    if Participant.objects.filter(room=room, user=author, muted_at__isnull=False).exists():
        raise RefusedError("muted", MUTED)


def _check_rate(room: Room, author: User, now: datetime, *, moderator: bool) -> None:
    limit, window = settings.LIVE_RATE_LIMIT
    recent = list(
        Message.objects.filter(
            room=room, author=author, created_at__gt=now - timedelta(seconds=window)
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        wait = math.ceil((recent[-1] + timedelta(seconds=window) - now).total_seconds())
        raise RefusedError(
            "rate_limited",
            f"You are sending messages faster than this room allows ({limit} every "
            f"{window} seconds). Please wait {max(wait, 1)} seconds and send it again.",
            retry_after=max(wait, 1),
        )
    if room.slow_mode_seconds and not moderator and recent:
        wait = math.ceil(
            (recent[0] + timedelta(seconds=room.slow_mode_seconds) - now).total_seconds()
        )
        if wait > 0:
            raise RefusedError(
                "slow_mode",
                f"Slow mode is on: one message every {room.slow_mode_seconds} seconds each, so "
                f"everyone can keep up. You can send again in {wait} seconds.",
                retry_after=wait,
            )


def _append(
    *,
    room: Room,
    author: User | None,
    author_name: str,
    badge: str,
    text: str,
    client_id: str,
    kind: str = Message.Kind.MESSAGE,
    reply_to_id: int | None = None,
    created_at: datetime | None = None,
    is_example_data: bool = False,
) -> Message:
    """Number and store one message; publish it after commit (callers are atomic)."""
    seq = _next_seq(room.pk)
    message = Message.objects.create(
        room=room,
        seq=seq,
        updated_seq=seq,
        client_id=client_id,
        kind=kind,
        author=author,
        author_name=author_name,
        badge=badge,
        text=text,
        reply_to_id=reply_to_id,
        created_at=created_at or timezone.now(),
        is_example_data=is_example_data,
    )
    _after_commit(publish_frame, room.pk, seq, protocol.message_frame(message))
    return message


@transaction.atomic
def message_import(
    *,
    room: Room,
    author_name: str,
    badge: str,
    text: str,
    client_id: str,
    kind: str = Message.Kind.MESSAGE,
    reply_to_id: int | None = None,
    created_at: datetime | None = None,
    is_example_data: bool = False,
) -> Message:
    """Store a message that did not come through the room (example data, an import):
    no author account, no limits. Side effects: 1. number; 2. row; 3. frame after commit."""
    return _append(
        room=room,
        author=None,
        author_name=author_name,
        badge=badge,
        text=text,
        client_id=client_id,
        kind=kind,
        reply_to_id=reply_to_id,
        created_at=created_at,
        is_example_data=is_example_data,
    )


def _clean(text: str) -> str:
    try:
        return protocol.clean_text(text, max_length=settings.LIVE_MESSAGE_MAX_LENGTH)
    except protocol.InvalidCommandError as exc:
        raise RefusedError(exc.code, exc.message) from None


def _existing(room: Room, author: User, client_id: str) -> Message | None:
    existing = Message.objects.filter(room=room, client_id=client_id).first()
    if existing is not None and existing.author_id != author.pk:
        raise RefusedError("bad_request", "That message id is already used. Reload the page.")
    return existing


def _append_once(*, room: Room, author: User, client_id: str, **fields) -> tuple[Message, bool]:
    """`_append`, unless another connection stored this `client_id` since the
    caller's `_existing` check (the same send from two sockets at once): then the
    stored message, as for a sequential retry. The savepoint takes back the number
    too, so the room's numbers stay contiguous. Returns (message, created)."""
    try:
        with transaction.atomic():
            return _append(room=room, author=author, client_id=client_id, **fields), True
    except IntegrityError:
        existing = _existing(room, author, client_id)
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def message_post(
    *,
    room: Room,
    author: User,
    text: str,
    client_id: str,
    reply_to_id: int | None = None,
) -> tuple[Message, bool]:
    """Post a message. Returns (message, created).

    Side effects, in order: 1. the room's next number; 2. the message row, with
    the author's name and badge as they are now; 3. after commit, the message
    frame to every process serving the room.
    Sending again with the same `client_id` returns the stored message and does
    nothing else (a retried send is not a second message), also when two
    sockets send it at the same moment. A reply link to
    anything but a visible prompt of this room is dropped.
    RefusedError: closed chat (hosts may still post), muted author, over the rate
    limit, slow mode (hosts exempt), empty or too long text.
    """
    existing = _existing(room, author, client_id)
    if existing is not None:
        return existing, False
    text = _clean(text)
    moderator = live_rules.can_moderate.test(author, room)
    now = timezone.now()
    _check_can_write(room, author, moderator=moderator)
    _check_rate(room, author, now, moderator=moderator)
    if (
        reply_to_id is not None
        and not Message.objects.filter(
            pk=reply_to_id, room=room, kind=Message.Kind.PROMPT, hidden_at__isnull=True
        ).exists()
    ):
        reply_to_id = None
    return _append_once(
        room=room,
        author=author,
        author_name=selectors.display_name(author),
        badge=live_rules.badge_for(author, room),
        text=text,
        client_id=client_id,
        reply_to_id=reply_to_id,
        created_at=now,
    )


@transaction.atomic
def prompt_post(*, room: Room, author: User, text: str, client_id: str) -> tuple[Message, bool]:
    """A host poses a prompt; it is pinned at the top of the room. Returns (prompt, created).

    Side effects, in order: 1. the room's next number; 2. the prompt row;
    3. the room pins it; 4. after commit, the prompt's frame (clients pin it).
    Same `client_id` again: the stored prompt, nothing else. RefusedError when the
    author does not moderate the room, or over the rate limit.
    """
    if not live_rules.can_moderate.test(author, room):
        raise RefusedError("forbidden", "Only hosts, moderators and organisers can post prompts.")
    existing = _existing(room, author, client_id)
    if existing is not None:
        return existing, False
    text = _clean(text)
    now = timezone.now()
    _check_rate(room, author, now, moderator=True)
    prompt, created = _append_once(
        room=room,
        author=author,
        author_name=selectors.display_name(author),
        badge=live_rules.badge_for(author, room),
        text=text,
        client_id=client_id,
        kind=Message.Kind.PROMPT,
        created_at=now,
    )
    if not created:
        return prompt, False
    Room.objects.filter(pk=room.pk).update(pinned_prompt=prompt)
    room.pinned_prompt = prompt
    return prompt, True


@transaction.atomic
def prompt_unpin(*, room: Room, by: User) -> Room:
    """Nothing pinned any more. Side effects: 1. number; 2. room row; 3. audit; 4. room frame."""
    room = Room.objects.get(pk=room.pk)
    if room.pinned_prompt_id is None:
        return room
    seq = _next_seq(room.pk)
    room.pinned_prompt = None
    room.save(update_fields=["pinned_prompt"])
    _audit(room, by, "unpin")
    _after_commit(publish_frame, room.pk, seq, protocol.room_frame(seq, room, None))
    return room


@transaction.atomic
def message_hide(*, message: Message, by: User) -> Message:
    """Hide a message for everyone at once; the row stays for the audit.

    Side effects, in order: 1. the room's next number; 2. the message is marked
    hidden (by whom, when); 3. unpinned if it was the prompt; 4. an audit row;
    5. after commit, an update frame without its text: clients remove it.
    Hiding a hidden message does nothing.
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.hidden_at is not None:
        return message
    seq = _next_seq(message.room_id)
    message.hidden_at = timezone.now()
    message.hidden_by = by
    message.updated_seq = seq
    message.save(update_fields=["hidden_at", "hidden_by", "updated_seq"])
    Room.objects.filter(pk=message.room_id, pinned_prompt=message).update(pinned_prompt=None)
    _audit(message.room, by, "hide", message=message, target=message.author)
    _after_commit(publish_frame, message.room_id, seq, protocol.update_frame(seq, message))
    return message


@transaction.atomic
def message_mark_question(*, message: Message, by: User, is_question: bool) -> Message:
    """A host marks (or unmarks) a message as a question to answer later.

    Side effects, in order: 1. number; 2. the flag; 3. audit; 4. update frame.
    RefusedError for hidden messages; no change when the flag is already so.
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.hidden_at is not None:
        raise RefusedError("hidden", HIDDEN)
    if message.is_question == is_question:
        return message
    seq = _next_seq(message.room_id)
    message.is_question = is_question
    message.updated_seq = seq
    message.save(update_fields=["is_question", "updated_seq"])
    _audit(message.room, by, "question" if is_question else "unquestion", message=message)
    _after_commit(publish_frame, message.room_id, seq, protocol.update_frame(seq, message))
    return message


@transaction.atomic
def reaction_toggle(
    *, message: Message, user: User, kind: str = Reaction.PLUS_ONE
) -> tuple[bool, int]:
    """Add the person's "+1", or take it back. Returns (reacted now, count).

    Side effects, in order: 1. the reaction row is added or removed; 2. the
    message's count and revision; 3. after commit, the count to every process
    (unnumbered: hubs send counts at most twice a second). RefusedError on hidden messages.
    """
    if Message.objects.filter(pk=message.pk, hidden_at__isnull=False).exists():
        raise RefusedError("hidden", HIDDEN)
    deleted, _ = Reaction.objects.filter(message=message, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(message=message, user=user, kind=kind)
    Message.objects.filter(pk=message.pk).update(
        plus_ones=F("plus_ones") + (-1 if deleted else 1), reaction_rev=F("reaction_rev") + 1
    )
    count, rev = Message.objects.filter(pk=message.pk).values_list("plus_ones", "reaction_rev")[0]
    _after_commit(publish_reactions, message.room_id, message.pk, count, rev)
    return not deleted, count


@transaction.atomic
def message_report(*, message: Message, by: User, reason: str = "") -> Report:
    """Someone reports a message to the moderators (once per person and message).

    Side effects: 1. a report row; 2. after commit, a notice to the room's
    moderators that are connected.
    """
    report, created = Report.objects.get_or_create(
        message=message, reporter=by, defaults={"reason": reason[:500]}
    )
    if created:
        count = Report.objects.filter(message=message).count()
        text = protocol.encode({"type": "reported", "message": message.pk, "reports": count})
        _after_commit(publish_to_moderators, message.room_id, text)
    return report


@transaction.atomic
def participant_mute(*, room: Room, user: User, by: User, muted: bool) -> Participant:
    """Mute (or unmute) a person for this session's chat.

    Side effects, in order: 1. the participant row (made if needed) records it;
    2. an audit row; 3. after commit, the person's own sockets are told.
    RefusedError for people who moderate the room.
    """
    if muted and live_rules.can_moderate.test(user, room):
        raise RefusedError("forbidden", "Hosts, moderators and organisers cannot be muted.")
    participant, _ = Participant.objects.select_for_update().get_or_create(room=room, user=user)
    if participant.is_muted == muted:
        return participant
    participant.muted_at = timezone.now() if muted else None
    participant.muted_by = by if muted else None
    participant.save(update_fields=["muted_at", "muted_by"])
    _audit(room, by, "mute" if muted else "unmute", target=user)
    text = protocol.encode({"type": "you", "muted": muted, "message": MUTED if muted else ""})
    _after_commit(publish_to_user, room.pk, user.pk, text)
    return participant


@transaction.atomic
def room_slow_mode_set(*, room: Room, seconds: int, by: User) -> Room:
    """Slow mode: one message per `seconds` each (0 turns it off).

    Side effects: 1. number; 2. room row; 3. audit; 4. room frame.
    """
    if not 0 <= seconds <= protocol.MAX_SLOW_MODE:
        raise RefusedError(
            "bad_request", f"Slow mode can be 0 to {protocol.MAX_SLOW_MODE} seconds."
        )
    room = Room.objects.get(pk=room.pk)
    if room.slow_mode_seconds == seconds:
        return room
    seq = _next_seq(room.pk)
    room.slow_mode_seconds = seconds
    room.save(update_fields=["slow_mode_seconds"])
    _audit(room, by, "slow_mode", detail=f"{seconds} seconds")
    _after_commit(publish_frame, room.pk, seq, _room_state_frame(room, seq))
    return room


@transaction.atomic
def room_open_set(*, room: Room, is_open: bool, by: User) -> Room:
    """Close the chat (everyone can still read it) or reopen it.

    Side effects: 1. number; 2. room row; 3. audit; 4. room frame.
    """
    room = Room.objects.get(pk=room.pk)
    if room.is_open == is_open:
        return room
    seq = _next_seq(room.pk)
    room.is_open = is_open
    room.save(update_fields=["is_open"])
    _audit(room, by, "reopen" if is_open else "close")
    _after_commit(publish_frame, room.pk, seq, _room_state_frame(room, seq))
    return room


# --- Retention -------------------------------------------------------------------------------


@transaction.atomic
def room_messages_purge(*, room: Room) -> int:
    """Delete the room's messages (and their reactions and reports). Returns how many.

    The room, its statistics (peak presence) and the audit trail (without the
    messages) stay. Clients still connected get a reset on their next resume.
    """
    Room.objects.filter(pk=room.pk).update(pinned_prompt=None)
    _, per_model = Message.objects.filter(room=room).delete()
    return per_model.get(Message._meta.label, 0)


def messages_purge_expired(*, today: date | None = None) -> dict[str, int]:
    """Apply each event's retention setting: purge rooms whose time is over.

    One transaction per room, so a failure leaves the others done."""
    today = today or timezone.localdate()
    rooms = selectors.rooms_past_retention(today=today)
    removed = sum(room_messages_purge(room=room) for room in rooms)
    return {"rooms": len(rooms), "messages": removed}
