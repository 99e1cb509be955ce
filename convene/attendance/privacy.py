"""Attendance's part of "download my data" and "delete my account"
(registered in AttendanceConfig.ready through accounts.extensions)."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, Subquery
from django.utils import timezone

from convene.accounts.extensions import PersonalData
from convene.accounts.models import User
from convene.attendance import services
from convene.attendance.emails import Kind
from convene.attendance.models import Attendance, Booking, CalendarLink, Registration, Star
from convene.core.models import OutgoingEmail


def _registrations(user: User):
    """The person's registrations, and those made by email with an address they
    verified (an address alone proves nothing: anyone can sign up with one)."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return Registration.objects.filter(Q(user=user) | Q(email__in=Subquery(verified)))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict[str, Any]:
    registrations = (
        _registrations(user)
        .select_related("event")
        .prefetch_related(Prefetch("bookings", Booking.objects.select_related("session")))
    )
    return {
        "registrations": [
            {
                "event_slug": r.event.slug,
                "event": r.event.title,
                "state": r.state,
                "name": r.name,
                "email": r.email,
                "organisation": r.organisation,
                "role": r.job_role,
                "heard_from": r.heard_from,
                "access_needs": r.access_needs,
                "email_consent": r.email_consent,
                "registered_at": _iso(r.created_at),
                "confirmed_at": _iso(r.confirmed_at),
                "cancelled_at": _iso(r.cancelled_at),
                "bookings": [
                    {"session": b.session.title, "state": b.state} for b in r.bookings.all()
                ],
            }
            for r in registrations.order_by("created_at", "pk")
        ],
        "starred_sessions": [
            {"event_slug": s.session.event.slug, "session": s.session.title}
            for s in Star.objects.filter(user=user).select_related("session__event")
        ],
        "sessions_joined": [
            {"session": a.session.title, "how": a.source, "joined_at": _iso(a.joined_at)}
            for a in Attendance.objects.filter(user=user).select_related("session")
        ],
        "has_calendar_feed": CalendarLink.objects.filter(user=user).exists(),
    }


def erase(user: User) -> None:
    """Give up places in sessions still to come (the next people waiting get
    them), then delete registrations (with their bookings and email records),
    stars and the calendar feed. Attendance records stay, pointing at the
    anonymised account, so organisers' numbers stay true."""
    upcoming = Booking.objects.filter(
        registration__in=_registrations(user),
        state__in=[Booking.State.BOOKED, Booking.State.WAITING],
        session__end__gt=timezone.now(),
    ).select_related("session")
    for booking in upcoming:
        services.booking_cancel(booking=booking)
    registrations = list(_registrations(user).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(
        kind__in=Kind.values, payload__registration__in=registrations
    ).delete()
    _registrations(user).delete()
    Star.objects.filter(user=user).delete()
    CalendarLink.objects.filter(user=user).delete()


PERSONAL_DATA = PersonalData(key="attendance", export=export, erase=erase)
