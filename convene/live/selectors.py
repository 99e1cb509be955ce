"""Reads for live rooms: access, history, resume batches, prompts, statistics.

Each returns ready-to-use data in a fixed number of queries, whatever the size
of the room.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from convene.events.models import Event, Session
from convene.live import rules as live_rules
from convene.live.models import LiveSettings, Message, Participant, Reaction, Room


def _rooms() -> QuerySet[Room]:
    return Room.objects.select_related("session__event__live_settings", "pinned_prompt")


def room_for_session(*, session: Session) -> Room | None:
    return _rooms().filter(session=session).first()


def room_by_id(room_id: int) -> Room | None:
    return _rooms().filter(pk=room_id).first()


_access_rooms: dict[int, tuple[float, Room | None]] = {}
_directories: dict[int, tuple[float, live_rules.Directory]] = {}
ACCESS_ROOM_SECONDS = 5.0
DIRECTORY_SECONDS = 10.0
# A client more than this many numbers behind gets the latest history instead.
RESUME_LIMIT = 1000


def room_directory(room: Room) -> live_rules.Directory:
    """Who is who in the room, read at most every DIRECTORY_SECONDS per process.

    Someone who registered since is looked up on their own; a role or
    registration taken away reaches the entrance within that time (posting,
    muting and moderation are checked against the database when they happen)."""
    now = time.monotonic()
    cached = _directories.get(room.pk)
    if cached is None or now - cached[0] > DIRECTORY_SECONDS:
        cached = _directories[room.pk] = (now, live_rules.load_directory(room))
    return cached[1]


def room_for_access(room_id: int) -> Room | None:
    """The room with its session and event, for deciding who may enter: read at
    most every few seconds per process (thousands enter at once; a change of
    who may read takes effect within ACCESS_ROOM_SECONDS)."""
    now = time.monotonic()
    cached = _access_rooms.get(room_id)
    if cached is None or now - cached[0] > ACCESS_ROOM_SECONDS:
        cached = _access_rooms[room_id] = (now, room_by_id(room_id))
    return cached[1]


def last_seq(room_id: int) -> int:
    return Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first() or 0


@dataclass(frozen=True)
class RoomAccess:
    """What one person may do in one room, worked out once when they enter."""

    room_id: int
    user_id: int | None
    name: str
    can_read: bool
    can_post: bool
    can_moderate: bool
    can_manage: bool
    muted: bool

    @property
    def user_key(self) -> str:
        """Who counts as one person for presence (anonymous readers: each socket)."""
        return f"u{self.user_id}" if self.user_id else ""


def display_name(user) -> str:
    # Never the email address: the room is seen by everyone in it.
    return (getattr(user, "name", "") or "").strip() or "A participant"


def room_access(*, user, room: Room, directory: live_rules.Directory | None = None) -> RoomAccess:
    """What the person may do: the rules of live/rules.py, each fact looked up once
    (thousands of people enter at once; `has_perm` would look some up four times),
    from the room's `directory` when the caller has one."""
    facts = live_rules.facts(user, room, directory)
    muted = None
    if directory is not None and user.is_authenticated:
        muted = user.pk in directory.muted
    can_read = facts.can_read
    if muted is None:
        muted = (
            user.is_authenticated
            and Participant.objects.filter(room=room, user=user, muted_at__isnull=False).exists()
        )
    return RoomAccess(
        room_id=room.pk,
        user_id=user.pk if user.is_authenticated else None,
        name=display_name(user) if user.is_authenticated else "",
        can_read=can_read,
        can_post=can_read and facts.can_post,
        can_moderate=can_read and facts.can_moderate,
        can_manage=facts.can_manage,
        muted=muted,
    )


def _visible(room_id: int) -> QuerySet[Message]:
    return Message.objects.filter(room_id=room_id, hidden_at__isnull=True)


def recent_messages(*, room: Room, upto: int, limit: int | None = None) -> list[Message]:
    """The latest visible messages numbered up to `upto`, oldest first."""
    limit = limit or settings.LIVE_HISTORY
    latest = list(_visible(room.pk).filter(seq__lte=upto).order_by("-seq")[:limit])
    return latest[::-1]


@dataclass
class RoomPage:
    room: Room
    messages: list[Message]
    seq: int  # the client resumes after this number
    reacted: set[int]
    has_earlier: bool


def reacted_to(*, user, messages: list[Message]) -> set[int]:
    """Which of `messages` this person gave a +1."""
    if not user.is_authenticated or not messages:
        return set()
    return set(
        Reaction.objects.filter(user=user, message__in=[m.pk for m in messages]).values_list(
            "message_id", flat=True
        )
    )


def room_page(*, room: Room, user) -> RoomPage:
    """What the room page renders: the latest messages and the number they go up to."""
    seq = last_seq(room.pk)
    messages = recent_messages(room=room, upto=seq)
    has_earlier = bool(messages) and _visible(room.pk).filter(seq__lt=messages[0].seq).exists()
    return RoomPage(
        room=room,
        messages=messages,
        seq=seq,
        reacted=reacted_to(user=user, messages=messages),
        has_earlier=has_earlier,
    )


@dataclass
class HistoryPage:
    messages: list[Message]  # oldest first
    reacted: set[int]
    has_earlier: bool
    has_later: bool

    @property
    def earlier_than(self) -> int | None:
        """The number to ask for messages before, when there are any."""
        return self.messages[0].seq if self.messages and self.has_earlier else None

    @property
    def later_than(self) -> int | None:
        return self.messages[-1].seq if self.messages and self.has_later else None


def history_page(
    *, room: Room, user, before: int | None = None, after: int | None = None
) -> HistoryPage:
    """A page of the room's visible messages, oldest first: the latest ones before
    number `before` (the latest of all without it), or the first ones after `after`.
    Three queries whatever the page size."""
    limit = settings.LIVE_HISTORY
    visible = _visible(room.pk)
    if after is not None:
        rows = list(visible.filter(seq__gt=after).order_by("seq")[: limit + 1])
        has_later, messages = len(rows) > limit, rows[:limit]
        has_earlier = visible.filter(seq__lte=after).exists()
    else:
        newer_first = visible if before is None else visible.filter(seq__lt=before)
        rows = list(newer_first.order_by("-seq")[: limit + 1])
        has_earlier, messages = len(rows) > limit, rows[:limit][::-1]
        has_later = before is not None and visible.filter(seq__gte=before).exists()
    return HistoryPage(
        messages=messages,
        reacted=reacted_to(user=user, messages=messages),
        has_earlier=has_earlier,
        has_later=has_later,
    )


@dataclass
class Batch:
    """What a client gets on (re)connecting: the numbers `first` to `last`.

    `messages`: new messages and earlier ones that changed, in their current
    state; `room`: the room with its pinned prompt (None: no such room);
    `reset`: the client replaces its list (protocol.batch_frame encodes it)."""

    first: int
    last: int
    messages: list[Message]
    room: Room | None
    reset: bool = False


def batch_after(*, room_id: int, after: int | None, upto: int | None = None) -> Batch:
    """Everything after `after`, for a client (re)connecting.

    The room's number is read first; a change committed after that read
    reaches the client live instead. A client too far behind (or with no
    number, or one from the future) gets a reset: the latest history. With
    `upto` (the hub repairing a gap), the batch stops there.
    """
    room = _rooms().filter(pk=room_id).first()
    if room is None:
        return Batch(first=0, last=0, messages=[], room=None, reset=True)
    last = room.last_seq if upto is None else min(upto, room.last_seq)
    if after is None or after < 0 or after > last or last - after > RESUME_LIMIT:
        messages = recent_messages(room=room, upto=last)
        return Batch(first=0, last=last, messages=messages, room=room, reset=True)
    messages = list(
        Message.objects.filter(room_id=room_id)
        .filter(
            Q(seq__gt=after, seq__lte=last)
            | Q(seq__lte=after, updated_seq__gt=after, updated_seq__lte=last)
        )
        .order_by("seq")
    )
    return Batch(first=after + 1, last=last, messages=messages, room=room)


@dataclass
class PromptReplies:
    prompt: Message
    replies: list[Message]


def prompts_with_replies(*, room: Room) -> list[PromptReplies]:
    """Every visible prompt with its visible replies, oldest first (two queries)."""
    prompts = _visible(room.pk).filter(kind=Message.Kind.PROMPT).order_by("seq")
    prompts = prompts.prefetch_related(
        Prefetch("replies", queryset=Message.objects.filter(hidden_at__isnull=True).order_by("seq"))
    )
    return [PromptReplies(prompt=p, replies=list(p.replies.all())) for p in prompts]


def transcript_messages(*, room: Room, include_hidden: bool) -> QuerySet[Message]:
    messages = Message.objects.filter(room=room).select_related("reply_to").order_by("seq")
    return messages if include_hidden else messages.filter(hidden_at__isnull=True)


@dataclass
class RoomStatistics:
    peak_presence: int
    peak_presence_at: datetime | None
    messages: int
    prompts: int
    hidden: int
    questions: int
    reactions: int
    reports: int
    distinct_posters: int
    people_entered: int
    muted: int


def room_statistics(*, room: Room) -> RoomStatistics:
    counts = Message.objects.filter(room=room).aggregate(
        messages=Count("id", filter=Q(kind=Message.Kind.MESSAGE)),
        prompts=Count("id", filter=Q(kind=Message.Kind.PROMPT)),
        hidden=Count("id", filter=Q(hidden_at__isnull=False)),
        questions=Count("id", filter=Q(is_question=True)),
        distinct_posters=Count("author", distinct=True),
    )
    people = Participant.objects.filter(room=room).aggregate(
        entered=Count("id"), muted=Count("id", filter=Q(muted_at__isnull=False))
    )
    return RoomStatistics(
        peak_presence=room.peak_presence,
        peak_presence_at=room.peak_presence_at,
        reactions=Reaction.objects.filter(message__room=room).count(),
        reports=Message.objects.filter(room=room, reports__isnull=False).count(),
        people_entered=people["entered"],
        muted=people["muted"],
        **counts,
    )


def reported_messages(*, room: Room) -> QuerySet[Message]:
    """Messages someone reported, most reported first, for the moderators."""
    return (
        Message.objects.filter(room=room, reports__isnull=False)
        .annotate(report_count=Count("reports"))
        .order_by("-report_count", "-seq")
    )


def message_in_room(*, room_id: int, message_id: int) -> Message | None:
    return (
        Message.objects.select_related("room__session__event")
        .filter(room_id=room_id, pk=message_id)
        .first()
    )


def rooms_past_retention(*, today: date) -> list[Room]:
    """Rooms that still hold messages although their event's retention period is over."""
    rooms = (
        Room.objects.filter(
            session__event__live_settings__retention_days__isnull=False, messages__isnull=False
        )
        .select_related("session__event__live_settings")
        .distinct()
    )
    return [
        room
        for room in rooms
        # retention_days is not null here (the filter above).
        if room.session.event.end_date
        + timedelta(days=cast(int, room.session.event.live_settings.retention_days))
        < today
    ]


def live_settings_for(*, event: Event) -> LiveSettings | None:
    """The event's chat settings; None while it has none (the defaults apply). One query."""
    return LiveSettings.objects.filter(event=event).first()


# --- The organiser console's dashboard (console.extensions, live/hooks.py) ----------
# One aggregate query each over all the event's rooms; sessions without a
# message are left out (the dashboard shows 0).


def chat_messages_by_session(event: Event) -> dict[int, int]:
    """Chat messages posted in each session's room: prompts are not counted,
    messages moderators hid are (they were posted)."""
    return dict(
        Message.objects.filter(room__session__event=event, kind=Message.Kind.MESSAGE)
        .order_by()
        .values_list("room__session_id")
        .annotate(n=Count("pk"))
    )


def chatters_by_session(event: Event) -> dict[int, int]:
    """How many different people posted those messages: people by account, and
    messages without one (imported chats, deleted accounts) by the name shown."""
    rows = (
        Message.objects.filter(room__session__event=event, kind=Message.Kind.MESSAGE)
        .order_by()
        .values_list("room__session_id")
        .annotate(
            people=Count("author", distinct=True),
            named=Count("author_name", distinct=True, filter=Q(author__isnull=True)),
        )
    )
    return {session_id: people + named for session_id, people, named in rows}
