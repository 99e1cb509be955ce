"""What live rooms add to event pages (through convene.events.extensions): a link
to the session's chat room in the session page's "How to join" row, and, for
organisers, links to the room's records and the event's chat settings; on the
event's settings page, how long chat messages are kept."""

from datetime import timedelta

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from convene.core.public_cache import Freshness
from convene.events.extensions import PageExtension
from convene.events.models import Event, Session
from convene.live import selectors


class LiveExtension(PageExtension):
    name = "live"

    def event_actions(self, request: HttpRequest, event: Event) -> str:
        if not request.user.has_perm("events.change_event", event):
            return ""
        return render_to_string("live/includes/event_panel.html", {"event": event})

    def session_join(self, request: HttpRequest, session: Session) -> str:
        if session.kind == Session.Kind.BREAK or session.is_cancelled:
            return ""
        return render_to_string(
            "live/includes/session_panel.html",
            {
                "session": session,
                "event": session.event,
                "can_manage": request.user.has_perm("events.change_event", session.event),
            },
        )

    def public_version(
        self, request: HttpRequest, page: str, obj: Event | Session
    ) -> Freshness | None:
        """A fixed link to the room (the session's own fields: kind, cancelled)."""
        return Freshness()


def chat_retention_section(request: HttpRequest, event: Event) -> str:
    """How long the event's chat messages are kept, with a link to change it."""
    settings_row = selectors.live_settings_for(event=event)
    days = settings_row.retention_days if settings_row is not None else None
    if days is None:
        kept = "Chat messages are kept: no retention period is set, so they are not deleted."
    else:
        # messages_purge_expired removes them once `days` whole days have passed.
        first = event.end_date + timedelta(days=days + 1)
        kept = (
            f"Chat messages are deleted {days} day{'' if days == 1 else 's'} after the "
            f"event ends: the daily clean-up removes them from {first.day} {first:%B} "
            f"{first.year}."
        )
    return format_html(
        '<p>{}</p><p><a href="{}">Change how long chat messages are kept</a> in the '
        "chat settings.</p>",
        kept,
        reverse("live:event_settings", kwargs={"event": event.slug}),
    )
