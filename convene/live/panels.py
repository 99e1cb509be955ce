"""What live rooms add to event pages (through convene.events.extensions): a link
to the session's chat room in the session page's "How to join" row, and, for
organisers, links to the room's records and the event's chat settings."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from convene.core.public_cache import Freshness
from convene.events.extensions import PageExtension
from convene.events.models import Event, Session


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
