"""What live plugs in (core/hooks.py): the room panels on event and session
pages, the chat settings page of the organiser area (and its summary on the
event's settings page), a person's messages in "download my data", the demo's
rooms, and the chat settings of an event copied from another.

The two small functions below are the glue for the event settings page and
for copies; they live here, not in panels.py and services.py, while live's
transport code is being reworked (issue 12), and can move there afterwards.
"""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from convene.accounts.extensions import PERSONAL_DATA
from convene.events.extensions import (
    DEMO_DATA,
    EVENT_COPIED,
    ORGANISER_NAV,
    PAGES,
    SETTINGS_SECTIONS,
    NavEntry,
    SettingsSection,
)
from convene.events.models import Event
from convene.live import selectors, services
from convene.live.demo import demo_rooms_load
from convene.live.panels import LiveExtension
from convene.live.privacy import PERSONAL_DATA as LIVE_DATA


def chat_settings_copy(*, source: Event, copy: Event) -> None:
    """An event copied from `source` reads and keeps its chat as `source` did (not its
    rooms or messages)."""
    settings_row = selectors.live_settings_for(event=source)
    if settings_row is not None:
        services.live_settings_update(
            event=copy,
            read_access=settings_row.read_access,
            retention_days=settings_row.retention_days,
        )


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


PAGES.register(LiveExtension())
ORGANISER_NAV.register(NavEntry("chat", "Chat settings", "live:event_settings", order=90))
SETTINGS_SECTIONS.register(
    SettingsSection("chat", "Data retention of chat messages", chat_retention_section)
)
EVENT_COPIED.register(chat_settings_copy)
PERSONAL_DATA.register(LIVE_DATA)
DEMO_DATA.register(demo_rooms_load)
