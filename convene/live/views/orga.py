"""Organisers: a room's statistics, reports, audit trail, settings and transcripts,
and the event's chat settings. Rule: live.manage_room (rooms) and
events.change_event (event settings), with the one refusal policy
(docs/decisions/0018-one-refusal-policy.md), like the organiser area: 404 where
the session is private, sign in for anonymous visitors, 403 for anyone else.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from convene.core import audit
from convene.core.breadcrumbs import crumbs
from convene.core.permissions import rule_required
from convene.events.access import organiser_view
from convene.events.models import Event
from convene.live import exports, rules, selectors, services
from convene.live.forms import LiveSettingsForm, RoomSettingsForm
from convene.live.models import LiveSettings, ReadAccess, Room
from convene.live.views.public import room_for

managed_room = rule_required("live.manage_room", load=room_for)


def _slugs(room: Room) -> dict[str, str]:
    return {"event": room.session.event.slug, "session": room.session.slug}


@require_http_methods(["GET", "HEAD", "POST"])
@managed_room
def manage(request: HttpRequest, room: Room) -> HttpResponse:
    """Rule: live.manage_room."""
    event_default = ReadAccess(rules.event_read_access(room.session.event)).label
    form = RoomSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=room,
        event_default=event_default,
    )
    if request.method == "POST" and form.is_valid():
        services.room_settings_update(room=room, read_access=form.cleaned_data["read_access"] or "")
        messages.success(request, "Chat room settings saved.")
        return redirect(reverse("live:manage", kwargs=_slugs(room)))
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
            "moderation": _moderation(room),
            "crumbs": crumbs(
                session_obj.event, session_obj, more=[("Chat room", room.get_absolute_url())]
            ),
        },
    )


def _moderation(room: Room) -> list:
    """The room's last 50 moderation steps, from the event's audit log (core.audit)."""
    entries = list(audit.entries_for_object(obj=room)[:50])
    for entry in entries:
        entry.label = audit.label_for(entry.action)
        entry.details = audit.describe(entry.data)
    return entries


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(room: Room, suffix: str) -> str:
    return f"{room.session.event.slug}-{room.session.slug}-{suffix}"


@require_safe
@managed_room
def transcript_csv(request: HttpRequest, room: Room) -> HttpResponse:
    """Rule: live.manage_room. Every message, hidden ones marked (the audit copy)."""
    data = exports.transcript(room=room, include_hidden=True)
    return _download(
        exports.transcript_csv(data), "text/csv; charset=utf-8", _filename(room, "chat.csv")
    )


@require_safe
@managed_room
def transcript_markdown(request: HttpRequest, room: Room) -> HttpResponse:
    """Rule: live.manage_room. Prompts with their replies; hidden messages left out."""
    data = exports.transcript(room=room, include_hidden=False)
    return _download(
        exports.transcript_markdown(data),
        "text/markdown; charset=utf-8",
        _filename(room, "chat.md"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organiser_view
def event_settings(request: HttpRequest, event_obj: Event) -> HttpResponse:
    """Rule: events.change_event. Who can read the event's rooms; how long messages stay."""
    instance = LiveSettings.objects.filter(event=event_obj).first() or LiveSettings(event=event_obj)
    form = LiveSettingsForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.live_settings_update(
            event=event_obj,
            read_access=form.cleaned_data["read_access"],
            retention_days=form.cleaned_data["retention_days"],
        )
        messages.success(request, "Chat settings saved.")
        return redirect(reverse("live:event_settings", kwargs={"event": event_obj.slug}))
    return render(
        request,
        "live/orga/event_settings.html",
        {"event": event_obj, "orga_section": "chat", "form": form},
    )
