"""`{% programme_session_extras session %}`: what extensions add under a programme
session (see convene.events.extensions). Renders nothing outside the programme
page, whose view puts `extension_states` in the context."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from convene.events import extensions
from convene.events.models import Session

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_session_extras(context: template.Context, session: Session) -> SafeString:
    states = context.get("extension_states")
    request = context.get("request")
    if states is None or request is None:
        return SafeString("")
    # Each piece is HTML an extension rendered from its own (autoescaped) template.
    return mark_safe("".join(extensions.programme_session(request, session, states)))  # noqa: S308
