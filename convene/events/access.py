"""What views of every app load from an event's URL, and the organiser rule.

Loaders answer 404 when the person may not know the thing exists (a draft, an
unpublished programme: docs/decisions/0004-drafts-answer-404.md); they are the
`load` of convene.core.permissions.rule_required.
"""

from django.http import HttpRequest

from convene.core.permissions import require_or_404, rule_required
from convene.events import selectors
from convene.events.models import Event, Session


def event_for(request: HttpRequest, event: str) -> Event:
    """The event, if the person may see it."""
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_event", event_obj)
    return event_obj


def session_for(request: HttpRequest, event: str, session: str) -> Session:
    """The session, if the person may see it (its event's programme)."""
    session_obj = selectors.session_by_slug(event=selectors.event_by_slug(event), slug=session)
    require_or_404(request.user, "events.view_session", session_obj)
    return session_obj


# Every /orga/<event>/ page of every app: the event's organisers and superusers.
organiser_view = rule_required("events.change_event", load=event_for)
