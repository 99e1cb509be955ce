"""Public pages of the event site. Anyone may read published events.

Each view names the `rules` permission it applies (see events/rules.py).
Drafts answer 404 to people without a role, so they do not leak. An event
whose programme is not published yet shows its event page, and says so on the
programme and people pages; its session pages answer 404.

These pages and the public calendar files never contain a session's join
link: apps that know who may join add it through events/extensions.py.

Anonymous visitors' answers are public and cached whole (core.public_cache):
each view says what it shows (the event's programme stamp, what extensions
add) and when its clock next changes it ('now' and 'next', "has ended").
"""

from datetime import datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from convene.core import stamps
from convene.core.breadcrumbs import crumbs
from convene.core.permissions import require_or_404
from convene.core.public_cache import Freshness, depend, public_cache
from convene.events import calendars, extensions, selectors
from convene.events.cache import (
    cached,
    event_freshness,
    event_scopes,
    programme_key,
    programme_stamp,
    site_scopes,
)
from convene.events.forms import ProgrammeFilterForm


def _next_midnight() -> datetime:
    today = timezone.localdate()
    return datetime.combine(
        today + timedelta(days=1), time(0), tzinfo=timezone.get_current_timezone()
    )


@require_safe
@public_cache(site_scopes)
def home(request: HttpRequest) -> HttpResponse:
    require_or_404(request.user, "events.view_event_list")
    # Upcoming and past are split by today's date.
    depend(request, Freshness(stamps=((stamps.SITE, "events"),), until=_next_midnight()))
    lists = selectors.events_for_home(user=request.user)
    return render(request, "events/home.html", {"upcoming": lists.upcoming, "past": lists.past})


@require_safe
@public_cache(event_scopes)
def event_detail(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_event", event_obj)
    now = timezone.now()
    depend(request, event_freshness(event_obj, at=now))
    depend(request, extensions.public_version(request, "event", event_obj))
    context = {
        "event": event_obj,
        "crumbs": crumbs(),
        "programme_visible": False,
        "event_ended": event_obj.end_date < timezone.localdate(timezone=event_obj.tz),
        "extension_actions": _safe(extensions.event_actions(request, event_obj)),
    }
    if request.user.has_perm("events.view_programme", event_obj):
        programme = selectors.programme_for_event(event=event_obj, at=now)
        depend(request, Freshness(until=programme.changes_at))
        context |= {
            "programme_visible": True,
            "now": programme.now,
            "next": programme.next,
            "session_total": sum(len(day.sessions) for day in programme.days),
        }
    return render(request, "events/event.html", context)


@require_safe
@public_cache(event_scopes)
def programme(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_event", event_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    depend(request, extensions.public_version(request, "programme", event_obj))
    form = ProgrammeFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with every field that is valid on its own
    cleaned = getattr(form, "cleaned_data", {})
    kind, zone = cleaned.get("kind", ""), cleaned.get("tz", "")
    data, cache_key, states = None, "", {}
    if request.user.has_perm("events.view_programme", event_obj):
        data = selectors.programme_for_event(event=event_obj, kind=kind, zone=zone)
        depend(request, Freshness(until=data.changes_at))
        # What extensions show this visitor (their stars ...) is part of the key.
        states = extensions.programme_states(request, event_obj)
        variant = extensions.programme_cache_variant(states)
        cache_key = programme_key(event_obj, f"html:{data.fragment_key}:{variant}")
    return render(
        request,
        "events/programme.html",
        {
            "event": event_obj,
            "programme": data,
            "form": form,
            "kind": kind,
            "zone": zone or event_obj.time_zone,
            "zone_chosen": bool(zone),
            "cache_key": cache_key,
            "extension_states": states,
            "extension_forms": _safe(extensions.programme_page(request, event_obj, states)),
            "crumbs": crumbs(event_obj),
        },
    )


@require_safe
@public_cache(event_scopes)
def session_detail(request: HttpRequest, event: str, session: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    session_obj = selectors.session_by_slug(event=event_obj, slug=session)
    require_or_404(request.user, "events.view_session", session_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    depend(request, extensions.public_version(request, "session", session_obj))
    return render(
        request,
        "events/session.html",
        {
            "event": event_obj,
            "session": session_obj,
            "crumbs": crumbs(event_obj, programme=True),
            "join_panels": _safe(extensions.session_join(request, session_obj)),
            "sections": _safe(extensions.session_sections(request, session_obj)),
            "show_recording_consent": request.user.has_perm(
                "events.view_recording_consent", session_obj
            ),
        },
    )


@require_safe
@public_cache(event_scopes)
def people(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_event", event_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    return render(
        request,
        "events/people.html",
        {
            "event": event_obj,
            "people": (
                selectors.people_for_event(event=event_obj)
                if request.user.has_perm("events.view_programme", event_obj)
                else None
            ),
            "crumbs": crumbs(event_obj),
        },
    )


def _safe(pieces: list[str]) -> list[str]:
    # Each piece is HTML an extension rendered from its own (autoescaped) template.
    return [mark_safe(piece) for piece in pieces]  # noqa: S308


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@public_cache(event_scopes)
def event_calendar(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_programme", event_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    body = cached(
        event_obj,
        "ics",
        lambda: calendars.calendar_for_sessions(
            selectors.sessions_for_calendar(event=event_obj),
            name=event_obj.title,
        ),
    )
    return _ics_response(body, f"{event_obj.slug}.ics")


@require_safe
@public_cache(event_scopes)
def session_calendar(request: HttpRequest, event: str, session: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    session_obj = selectors.session_by_slug(event=event_obj, slug=session)
    require_or_404(request.user, "events.view_session", session_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    body = calendars.calendar_for_sessions([session_obj], name=session_obj.title)
    return _ics_response(body, f"{event_obj.slug}-{session_obj.slug}.ics")


@require_safe
def privacy(request: HttpRequest, event: str) -> HttpResponse:
    """The event's privacy notice: its organisers' text, else Convene's standard one."""
    return _statement(request, event, "events/privacy.html")


@require_safe
def accessibility(request: HttpRequest, event: str) -> HttpResponse:
    """The event's accessibility statement: its organisers' text, else the standard one."""
    return _statement(request, event, "events/accessibility.html")


def _statement(request: HttpRequest, event: str, template: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_event", event_obj)
    return render(request, template, {"event": event_obj, "crumbs": crumbs(event_obj)})
