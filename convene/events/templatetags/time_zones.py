"""`{% zone_options selected %}`: the time zone <option>s of the programme's filter.

The canonical zones (convene.core.timezones), in an <optgroup> per region.
Rendered through a template loop on every programme page they would cost more
than the rest of a warm page, so each option's HTML is made once per process
(selected and not); a page joins strings. A chosen zone that the list does not
hold (a fixed offset such as Etc/GMT+12) comes first, selected, so the form
shows what the page shows. The visitor's own zone is moved to the top by
init.mjs, which alone knows it.
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from convene.core import timezones

register = template.Library()


@functools.cache
def _groups() -> tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...]:
    """(opening tag, closing tag, ((value, option, the same option selected), ...))."""
    return tuple(
        (
            format_html('<optgroup label="{}">', region),
            "</optgroup>",
            tuple(
                (
                    value,
                    format_html('<option value="{}">{}</option>', value, label),
                    format_html('<option value="{}" selected>{}</option>', value, label),
                )
                for value, label in zones
            ),
        )
        for region, zones in timezones.grouped_zones()
    )


@register.simple_tag
def zone_options(selected: str = "") -> SafeString:
    parts = []
    selected = (timezones.canonical(selected) if selected else None) or ""
    if selected and selected not in timezones.canonical_zones():
        parts.append(format_html('<option value="{}" selected>{}</option>', selected, selected))
    for opening, closing, options in _groups():
        parts.append(opening)
        parts.extend(chosen if value == selected else plain for value, plain, chosen in options)
        parts.append(closing)
    return mark_safe("".join(parts))  # noqa: S308 - every part is format_html output
