"""`{% organiser_nav event orga_section %}`: the organiser area's side navigation,
from every app's `events.extensions.ORGANISER_NAV` entries (their hooks.py);
`{% organiser_home_url event %}`: its first page (the lowest `order`), where
"Organise this event" leads."""

from django import template
from django.urls import reverse

from convene.events import extensions
from convene.events.models import Event

register = template.Library()


@register.inclusion_tag("events/orga/includes/nav.html")
def organiser_nav(event: Event, current: str = "") -> dict:
    return {
        "entries": [
            {
                "label": entry.label,
                "url": reverse(entry.url_name, kwargs={"event": event.slug}),
                "current": entry.section == current,
            }
            for entry in extensions.organiser_nav()
        ]
    }


@register.simple_tag
def organiser_home_url(event: Event) -> str:
    entry = extensions.organiser_nav()[0]
    return reverse(entry.url_name, kwargs={"event": event.slug})
