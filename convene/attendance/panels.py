"""What attendance adds to the event pages (through convene.events.extensions):
the registration box on the event page, the join panel in the session page's
"How to join" row, and star buttons in the programme."""

from collections.abc import Hashable

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from convene.attendance import rules, selectors
from convene.attendance.forms import EmailChoicesForm
from convene.core.public_cache import Freshness, earliest
from convene.events.cache import end_of_event
from convene.events.extensions import PageExtension
from convene.events.models import Event, Session

STAR_FORM_ID = "attendance-star-form"


class AttendanceExtension(PageExtension):
    name = "attendance"

    def event_actions(self, request: HttpRequest, event: Event) -> str:
        if not request.user.has_perm("events.view_programme", event):
            return ""
        registration = selectors.registration_for(user=request.user, event=event)
        confirmed = registration is not None and registration.is_confirmed
        email_form = EmailChoicesForm(registration=registration) if confirmed else None
        return render_to_string(
            "attendance/includes/event_panel.html",
            {
                "event": event,
                "registration": registration,
                "email_form": email_form,
                "closed": rules.registration_closed(event),
            },
            request=request,
        )

    def session_join(self, request: HttpRequest, session: Session) -> str:
        if session.kind == Session.Kind.BREAK:
            return ""
        state = selectors.join_state(user=request.user, session=session)
        return render_to_string(
            "attendance/includes/join_panel.html",
            {
                "state": state,
                "session": session,
                "event": session.event,
                "join_window": f"{settings.JOIN_WINDOW_MINUTES} minutes",
                "closed": rules.registration_closed(session.event),
            },
            request=request,
        )

    def programme_state(self, request: HttpRequest, event: Event) -> Hashable:
        if not request.user.is_authenticated:
            return None
        return tuple(sorted(selectors.starred_ids(user=request.user, event=event)))

    def programme_session(self, request: HttpRequest, session: Session, state: Hashable) -> str:
        if state is None or session.kind == Session.Kind.BREAK:
            return ""
        # No CSRF token here (this HTML is cached and shared): the button
        # submits the one form that programme_page puts outside the cache.
        return render_to_string(
            "attendance/includes/star_button.html",
            {
                "session": session,
                "starred": session.pk in state,
                "form_id": STAR_FORM_ID,
                "action": reverse("attendance:star", kwargs={"session": session.pk}),
            },
        )

    def programme_page(self, request: HttpRequest, event: Event, state: Hashable) -> str:
        if state is None:
            return ""
        return render_to_string(
            "attendance/includes/star_form.html",
            {"form_id": STAR_FORM_ID, "next": request.get_full_path()},
            request=request,
        )

    def public_version(
        self, request: HttpRequest, page: str, obj: Event | Session
    ) -> Freshness | None:
        """Anonymous visitors see no counts here (places left are for signed-in
        people), only what the clock changes: registration closes when the
        event ends, and a session's panel says "has ended" from its end."""
        now = timezone.now()
        event = obj if isinstance(obj, Event) else obj.event
        moments = [end_of_event(event)]
        if isinstance(obj, Session):
            moments.append(obj.end)
        return Freshness(until=earliest(*(m for m in moments if m is not None and m > now)))
