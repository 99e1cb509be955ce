"""Organisers: a room's statistics, reports, audit trail, settings and transcripts,
and the event's chat settings. Rule: live.manage_room (rooms) and
events.change_event (event settings); others get 404, like the organiser area.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from convene.core.permissions import require_or_404
from convene.events import selectors as event_selectors
from convene.live import exports, rules, selectors, services
from convene.live.forms import LiveSettingsForm, RoomSettingsForm
from convene.live.models import LiveSettings, ReadAccess
from convene.live.views.public import room_from_slugs


def _managed_room(request: HttpRequest, event: str, session: str):
    room = room_from_slugs(request.user, event, session)
    require_or_404(request.user, "live.manage_room", room)
    return room


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: live.manage_room."""
    room = _managed_room(request, event, session)
    event_default = ReadAccess(rules.event_read_access(room.session.event)).label
    form = RoomSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=room,
        event_default=event_default,
    )
    if request.method == "POST" and form.is_valid():
        services.room_settings_update(room=room, read_access=form.cleaned_data["read_access"] or "")
        messages.success(request, "Chat room settings saved.")
        return redirect(reverse("live:manage", kwargs={"event": event, "session": session}))
    session_obj = room.session
    return render(
        request,
        "live/orga/manage.html",
        {
            "room": room,
            "session": session_obj,
            "event": session_obj.event,
            "form": form,
            "stats": selectors.room_statistics(room=room),
            "reported": selectors.reported_messages(room=room)[:50],
            "moderation": room.moderation.select_related("actor", "target", "message")[:50],
            "crumbs": [
                ("Events", reverse("events:home")),
                (session_obj.event.title, session_obj.event.get_absolute_url()),
                (session_obj.title, session_obj.get_absolute_url()),
                ("Chat room", room.get_absolute_url()),
            ],
        },
    )


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def transcript_csv(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: live.manage_room. Every message, hidden ones marked (the audit copy)."""
    room = _managed_room(request, event, session)
    data = exports.transcript(room=room, include_hidden=True)
    return _download(
        exports.transcript_csv(data), "text/csv; charset=utf-8", f"{event}-{session}-chat.csv"
    )


@require_safe
def transcript_markdown(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: live.manage_room. Prompts with their replies; hidden messages left out."""
    room = _managed_room(request, event, session)
    data = exports.transcript(room=room, include_hidden=False)
    return _download(
        exports.transcript_markdown(data),
        "text/markdown; charset=utf-8",
        f"{event}-{session}-chat.md",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def event_settings(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: events.change_event. Who can read the event's rooms; how long messages stay."""
    event_obj = event_selectors.event_by_slug(event)
    require_or_404(request.user, "events.change_event", event_obj)
    instance = LiveSettings.objects.filter(event=event_obj).first() or LiveSettings(event=event_obj)
    form = LiveSettingsForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.live_settings_update(
            event=event_obj,
            read_access=form.cleaned_data["read_access"],
            retention_days=form.cleaned_data["retention_days"],
        )
        messages.success(request, "Chat settings saved.")
        return redirect(reverse("live:event_settings", kwargs={"event": event}))
    return render(
        request,
        "live/orga/event_settings.html",
        {"event": event_obj, "orga_section": "chat", "form": form},
    )
