"""The event dashboard: /orga/<event>/dashboard/ (the first page of the organiser area).

Wrapped by `organiser_view` (events/access.py): the `events.change_event` rule,
the event's organisers and superusers, with the one refusal policy (404 for
people who may not see the event, sign in for anonymous visitors, 403 for
anyone else).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from convene.console import dashboard as reads
from convene.events.access import organiser_view
from convene.events.models import Event


@organiser_view
@require_safe
def dashboard(request: HttpRequest, event: Event) -> HttpResponse:
    """Rule: events.change_event. Every registered panel, in order (console.extensions)."""
    return render(
        request,
        "console/dashboard.html",
        {
            "event": event,
            "orga_section": "dashboard",
            "panels": reads.rendered_panels(request, event),
        },
    )
