"""`{% zone_options selected %}`: the time zone <option>s of the programme's filter.

About 600 zones: rendered through a template loop on every programme page they
cost more than the rest of a warm page. Each option's HTML is made once per
process (selected and not); a page joins strings.
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from convene.events.models import TIME_ZONE_CHOICES

register = template.Library()


@functools.cache
def _options() -> tuple[tuple[str, str, str], ...]:
    """(value, option, the same option selected) for every zone, escaped."""
    return tuple(
        (
            value,
            format_html('<option value="{}">{}</option>', value, label),
            format_html('<option value="{}" selected>{}</option>', value, label),
        )
        for value, label in TIME_ZONE_CHOICES
    )


@register.simple_tag
def zone_options(selected: str = "") -> SafeString:
    html = "".join(chosen if value == selected else plain for value, plain, chosen in _options())
    return mark_safe(html)  # noqa: S308 - every part is format_html output
