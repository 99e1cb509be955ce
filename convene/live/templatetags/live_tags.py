"""Template helpers of the room: message text with safe links, badge colours."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same rule as room.mjs: only http(s) addresses become links; trailing
# punctuation stays text. Everything else is escaped text.
URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""

BADGE_COLOURS = {
    "host": "blue",
    "moderator": "purple",
    "organiser": "grey",
    "speaker": "aqua-green",
    "lived_experience_partner": "orange",
}


@register.filter
def chat_text(text: str) -> SafeString:
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[position : match.start()]))
        parts.append(
            format_html('<a href="{}" rel="noopener noreferrer nofollow ugc">{}</a>', url, url)
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped or built by format_html


@register.filter
def badge_colour(badge: str) -> str:
    return BADGE_COLOURS.get(badge, "white")
