"""Template helpers shared by every app: Markdown, times in an event's zone, rules."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import rules
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from convene.core import pagination
from convene.core.text import render_markdown
from convene.core.timeutil import in_zone as to_zone

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag
def local_time(value: datetime, zone: str, fmt: str = "H:i") -> SafeString:
    """<time datetime="…Z"> showing `value` in `zone`; JS may add the visitor's zone."""
    from django.utils.dateformat import format as date_format

    shown = to_zone(value, ZoneInfo(zone))
    return format_html(
        '<time datetime="{}" data-local-time>{}</time>',
        to_zone(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        date_format(shown, fmt),
    )


class _ZonedDatetime(datetime):
    """A datetime the template engine leaves in its zone (as Django's `timezone` filter)."""

    convert_to_local_time = False


@register.filter
def in_zone(value: datetime, zone: str) -> datetime:
    """`value` in `zone`, kept there by `|date` and `|time` (which otherwise convert
    to the active zone, and overflow near the years 1 and 9999)."""
    shown = to_zone(value, ZoneInfo(zone))
    return _ZonedDatetime.combine(shown.date(), shown.timetz())


@register.simple_tag
def page_links(page, query: str = "", param: str = "page") -> pagination.PageLinks:
    """`{% page_links page query "page" as links %}` for includes/pagination.html."""
    return pagination.page_links(page, query=query, param=param)


@register.simple_tag
def rule_allows(perm: str, user, obj=None) -> bool:
    """`{% rule_allows "events.create_event" user as can_create %}`: the `rules` permission
    itself, as `core.permissions.rule_required` asks it. Unlike `{% has_perm %}` it does
    not go through Django's model backend, which reads the person's permission tables
    (two queries) for a question only `rules` answers."""
    return rules.has_perm(perm, user, obj)
