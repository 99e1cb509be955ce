"""Which reminders are due: 24 hours and 15 minutes before each booked or starred session.

`reminders_schedule` is a job of the one scheduler (`manage.py run_scheduler`,
registered in AttendanceConfig.ready; docs/decisions/0005 and 0017), run once a
minute. It records one outgoing email per person, session and reminder; the
unique key makes running it again, or on two machines at once, harmless.

A reminder is due inside its window, not at one instant, so a scheduler that
was stopped for a while still sends what is useful when it restarts:
- "24h": from 24 hours before the start until 2 hours before (later than that
  the 15-minute one is close: one email is enough);
- "15m": from 15 minutes before the start until the start.
The session's start time is part of the key: when a session moves, its
reminders are due again at the new time.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from convene.attendance.emails import Kind, payload
from convene.attendance.models import Booking, Registration
from convene.core import outbox
from convene.events.models import Session

REMINDERS = (
    ("24h", timedelta(hours=24), timedelta(hours=2)),
    ("15m", timedelta(minutes=15), timedelta(0)),
)


def reminder_recipients(session: Session):
    """Confirmed registrations that agreed to reminders and booked or starred the session."""
    return (
        Registration.objects.filter(
            event_id=session.event_id, state=Registration.State.CONFIRMED, email_consent=True
        )
        .filter(
            Q(bookings__session=session, bookings__state=Booking.State.BOOKED)
            | Q(user__stars__session=session)
        )
        .distinct()
    )


def reminders_schedule(*, now: datetime | None = None) -> int:
    """Record every reminder due now; returns how many were new."""
    now = now or timezone.now()
    rows = []
    for label, lead, until in REMINDERS:
        sessions = Session.objects.filter(
            status=Session.Status.SCHEDULED, start__gt=now + until, start__lte=now + lead
        ).exclude(kind=Session.Kind.BREAK)
        for session in sessions:
            stamp = int(session.start.timestamp())
            rows.extend(
                {
                    "recipient": registration.email,
                    "purpose": f"reminder:{label}:{session.pk}:{stamp}",
                    "payload": payload(registration, session),
                }
                for registration in reminder_recipients(session)
            )
    return outbox.emails_record(kind=Kind.REMINDER, emails=rows)
