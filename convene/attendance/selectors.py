"""Reads for registration, booking, agenda and the organiser's lists.

Each returns ready-to-render data in a fixed number of queries.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from convene.accounts.models import User
from convene.attendance import rules as attendance_rules
from convene.attendance.models import Attendance, Booking, CalendarLink, Registration, Star
from convene.events.models import Event, Host, Session


def registration_for(*, user: User, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def booked_count(*, session: Session) -> int:
    return session.bookings.filter(state=Booking.State.BOOKED).count()


def waiting_position(*, booking: Booking) -> int:
    """1 for the first person in the queue."""
    return (
        Booking.objects.filter(
            session_id=booking.session_id,
            state=Booking.State.WAITING,
            queued_at__lte=booking.queued_at,
        )
        .exclude(Q(queued_at=booking.queued_at) & Q(id__gt=booking.id))
        .count()
    )


@dataclass
class JoinState:
    """What one person may do about one session, for the session page."""

    session: Session
    registration: Registration | None
    booking: Booking | None
    starred: bool
    places_left: int | None  # None: drop-in
    waiting_position: int | None
    window_opens: datetime
    may_join: bool
    holds_place: bool
    has_ended: bool


def join_state(*, user: User, session: Session, at: datetime | None = None) -> JoinState:
    """Registration, booking, star and the join rule for one person and session.

    Anonymous: no queries. Signed in: registration (with booking), star and,
    for sessions with places, the count of bookings."""
    at = at or timezone.now()
    registration = booking = None
    starred = False
    if user.is_authenticated:
        registration = (
            Registration.objects.filter(event_id=session.event_id, user=user)
            .prefetch_related(
                Prefetch("bookings", queryset=Booking.objects.filter(session=session))
            )
            .first()
        )
        booking = (
            registration.bookings.all()[0] if registration and registration.bookings.all() else None
        )
        starred = Star.objects.filter(user=user, session=session).exists()
    places_left = None
    if session.capacity is not None and user.is_authenticated:
        places_left = max(session.capacity - booked_count(session=session), 0)
    position = None
    if booking is not None and booking.state == Booking.State.WAITING:
        position = waiting_position(booking=booking)
    return JoinState(
        session=session,
        registration=registration,
        booking=booking,
        starred=starred,
        places_left=places_left,
        waiting_position=position,
        window_opens=attendance_rules.join_window_opens(session),
        may_join=attendance_rules.may_join(registration, session, booking, at),
        holds_place=attendance_rules.holds_place(registration, session, booking),
        has_ended=at >= session.end,
    )


def starred_ids(*, user: User, event: Event) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        Star.objects.filter(user=user, session__event=event).values_list("session_id", flat=True)
    )


@dataclass
class AgendaItem:
    session: Session
    registration: Registration | None
    booking: Booking | None
    starred: bool
    may_join: bool
    holds_place: bool
    window_opens: datetime


def _agenda_sessions(user: User) -> QuerySet[Session]:
    """Sessions a person starred or booked (or queued for), and drop-in sessions of
    events they registered for only when starred or booked (a whole programme
    would drown the agenda)."""
    return (
        Session.objects.filter(
            Q(stars__user=user)
            | Q(
                bookings__registration__user=user,
                bookings__state__in=[Booking.State.BOOKED, Booking.State.WAITING],
            )
        )
        .distinct()
        .select_related("event", "room", "track")
        .prefetch_related(Prefetch("hosts", queryset=Host.objects.select_related("user")))
        .order_by("start", "title")
    )


def agenda_for(
    *, user: User, at: datetime | None = None
) -> tuple[list[Registration], list[AgendaItem]]:
    """The person's registrations and their agenda, in four queries."""
    at = at or timezone.now()
    registrations = list(
        Registration.objects.filter(user=user)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("event")
        .order_by("event__start_date")
    )
    by_event = {r.event_id: r for r in registrations}
    sessions = list(_agenda_sessions(user))
    bookings = {
        b.session_id: b
        for b in Booking.objects.filter(
            registration__user=user, session__in=[s.pk for s in sessions]
        )
    }
    stars = set(
        Star.objects.filter(user=user, session__in=[s.pk for s in sessions]).values_list(
            "session_id", flat=True
        )
    )
    items = []
    for session in sessions:
        registration = by_event.get(session.event_id)
        booking = bookings.get(session.pk)
        items.append(
            AgendaItem(
                session=session,
                registration=registration,
                booking=booking,
                starred=session.pk in stars,
                may_join=attendance_rules.may_join(registration, session, booking, at),
                holds_place=attendance_rules.holds_place(registration, session, booking),
                window_opens=attendance_rules.join_window_opens(session),
            )
        )
    return registrations, items


def feed_sessions(*, user: User) -> tuple[list[Session], set[int]]:
    """Sessions for the personal calendar feed, and the ids whose join link it may carry.

    Starred, booked or queued sessions; cancelled ones stay (STATUS:CANCELLED).
    Convene's join address goes in for sessions where the person holds a place:
    a calendar shows it ahead of time, so never the raw link (decision 0014)."""
    sessions = list(_agenda_sessions(user))
    registrations = {
        r.event_id: r
        for r in Registration.objects.filter(user=user, state=Registration.State.CONFIRMED)
    }
    bookings = {
        b.session_id: b
        for b in Booking.objects.filter(
            registration__user=user, session__in=[s.pk for s in sessions]
        )
    }
    joinable = {
        s.pk
        for s in sessions
        if attendance_rules.holds_place(registrations.get(s.event_id), s, bookings.get(s.pk))
    }
    return sessions, joinable


def confirmed_registrations(*, user: User) -> list[Registration]:
    """The person's confirmed registrations with their events, soonest event first (one query)."""
    return list(
        Registration.objects.filter(user=user, state=Registration.State.CONFIRMED)
        .select_related("event")
        .order_by("event__start_date", "event__title")
    )


def calendar_link_for(*, user: User) -> CalendarLink | None:
    return CalendarLink.objects.filter(user=user).first()


def user_by_calendar_token(token: str) -> User | None:
    link = CalendarLink.objects.select_related("user").filter(token=token).first()
    if link is None or not link.user.is_active:
        return None
    return link.user


def joinable_sessions(*, registration: Registration) -> list[Session]:
    """Sessions of the event this registration may join: drop-ins, and booked ones."""
    booked = Booking.objects.filter(registration=registration, state=Booking.State.BOOKED)
    return list(
        registration.event.sessions.filter(
            Q(capacity__isnull=True) | Q(pk__in=booked.values("session_id"))
        )
        .exclude(kind=Session.Kind.BREAK)
        .select_related("event")
        .prefetch_related("hosts__user")
        .order_by("start")
    )


# --- Organisers ------------------------------------------------------------------


def registrations_for_event(
    *, event: Event, search: str = "", session: Session | None = None, state: str = ""
) -> QuerySet[Registration]:
    """Registrations, filtered; with each one's bookings (and their sessions)."""
    registrations = Registration.objects.filter(event=event)
    if search:
        registrations = registrations.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(organisation__icontains=search)
        )
    if session is not None:
        registrations = registrations.filter(bookings__session=session)
        if state in Booking.State.values:
            registrations = registrations.filter(bookings__state=state)
    elif state in Registration.State.values:
        registrations = registrations.filter(state=state)
    return (
        registrations.distinct()
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("session").order_by("session__start"),
            )
        )
        .order_by("name", "email")
    )


def session_numbers(*, event: Event) -> QuerySet[Session]:
    """Each session with how many booked, waiting and joined."""
    return (
        event.sessions.exclude(kind=Session.Kind.BREAK)
        .annotate(
            booked=Count("bookings", filter=Q(bookings__state=Booking.State.BOOKED), distinct=True),
            waiting=Count(
                "bookings", filter=Q(bookings__state=Booking.State.WAITING), distinct=True
            ),
            joined=Count("attendances", distinct=True),
            starred=Count("stars", distinct=True),
        )
        .order_by("start", "title")
    )


def registration_count(*, event: Event) -> int:
    return Registration.objects.filter(event=event, state=Registration.State.CONFIRMED).count()


def session_recipients(*, session: Session) -> QuerySet[Registration]:
    """Who a message about this session goes to: confirmed registrations holding a
    place (booked, or any registration for a drop-in session) or on its waiting list."""
    registrations = Registration.objects.filter(
        event_id=session.event_id, state=Registration.State.CONFIRMED
    )
    if session.capacity is None:
        return registrations
    return registrations.filter(
        bookings__session=session,
        bookings__state__in=[Booking.State.BOOKED, Booking.State.WAITING],
    )


def attendance_ids(*, session: Session) -> set[int]:
    return set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))


# --- The organiser console's dashboard (console.extensions) ------------------------
# One aggregate query each, whatever the number of sessions or people.


def places_left_by_session(*, event: Event) -> dict[int, int | None]:
    """Each session's places left: its capacity less the places booked (never
    below 0); None for drop-in sessions, which have no limit."""
    rows = (
        event.sessions.order_by()
        .annotate(booked=Count("bookings", filter=Q(bookings__state=Booking.State.BOOKED)))
        .values_list("pk", "capacity", "booked")
    )
    return {
        pk: None if capacity is None else max(capacity - booked, 0) for pk, capacity, booked in rows
    }


def waiting_by_session(*, event: Event) -> dict[int, int]:
    """How many people are on each session's waiting list (sessions with none are left out)."""
    return dict(
        Booking.objects.filter(session__event=event, state=Booking.State.WAITING)
        .order_by()
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )


def joined_and_registered_by_session(*, event: Event) -> dict[int, tuple[int, int]]:
    """(joined, registered) for each session: the people recorded as having joined
    it, and those who may: booked for a session with places, every confirmed
    registration of the event for a drop-in session."""
    joined = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    booked = (
        Booking.objects.filter(session=OuterRef("pk"), state=Booking.State.BOOKED)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    registered = (
        Registration.objects.filter(event=OuterRef("event"), state=Registration.State.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        event.sessions.order_by()
        .annotate(
            joined=Coalesce(Subquery(joined, output_field=IntegerField()), 0),
            booked=Coalesce(Subquery(booked, output_field=IntegerField()), 0),
            registered=Coalesce(Subquery(registered, output_field=IntegerField()), 0),
        )
        .values_list("pk", "capacity", "joined", "booked", "registered")
    )
    return {
        pk: (joined_n, registered_n if capacity is None else booked_n)
        for pk, capacity, joined_n, booked_n, registered_n in rows
    }


def registrations_per_day(*, event: Event) -> dict[date, int]:
    """Confirmed registrations by the day (in the event's time zone) each was
    confirmed: a person counts from the day they became registered."""
    return dict(
        Registration.objects.filter(event=event, state=Registration.State.CONFIRMED)
        .annotate(day=TruncDate(Coalesce("confirmed_at", "created_at"), tzinfo=event.tz))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )


# --- Messages to groups (the console's groups: attendance/recipients.py) -----------


def registrations_to_message(*, event: Event, email: str | None = None) -> list[Registration]:
    """The event's confirmed registrations (only the one of `email` when given), with
    their people, by name: one query."""
    registrations = Registration.objects.filter(event=event, state=Registration.State.CONFIRMED)
    if email is not None:
        registrations = registrations.filter(email__iexact=email)
    return list(registrations.select_related("user").order_by("name", "email"))


def people_of_sessions(
    *,
    event: Event,
    sessions: Sequence[Session],
    waiting_only: bool = False,
    email: str | None = None,
) -> list[tuple[Registration, list[tuple[Session, Booking | None]]]]:
    """Confirmed registrations in any of `sessions`, each with the sessions it is in and
    its booking there (None for a drop-in session, which everyone registered is in),
    by name; two queries. In a session with places: booked or waiting, or only
    waiting with `waiting_only` (drop-ins have no waiting list)."""
    chosen = sorted(
        (s for s in sessions if s.event_id == event.pk), key=lambda s: (s.start, s.title)
    )
    drop_ins = [] if waiting_only else [s for s in chosen if s.capacity is None]
    with_places = [s for s in chosen if s.capacity is not None]
    states = (
        [Booking.State.WAITING] if waiting_only else [Booking.State.BOOKED, Booking.State.WAITING]
    )
    if not drop_ins and not with_places:
        return []
    registrations = Registration.objects.filter(event=event, state=Registration.State.CONFIRMED)
    if email is not None:
        registrations = registrations.filter(email__iexact=email)
    if not drop_ins:
        registrations = registrations.filter(
            bookings__session__in=with_places, bookings__state__in=states
        ).distinct()
    bookings = Booking.objects.filter(session__in=with_places, state__in=states)
    found: list[tuple[Registration, list[tuple[Session, Booking | None]]]] = []
    for registration in (
        registrations.select_related("user")
        .prefetch_related(Prefetch("bookings", queryset=bookings, to_attr="chosen_bookings"))
        .order_by("name", "email")
    ):
        by_session = {b.session_id: b for b in registration.chosen_bookings}
        places = [
            (session, by_session.get(session.pk))
            for session in chosen
            if session in drop_ins or session.pk in by_session
        ]
        if places:
            found.append((registration, places))
    return found
