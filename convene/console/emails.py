"""The email of a message to a group: the console's builder for the one outgoing-email
pipeline (core/outbox.py), registered in console/hooks.py.

A row's payload is `{"message": <id>}`; its recipient is the person. The text is
the message as the organiser wrote it, its placeholders filled when the email
is built, from what the group's app says about the person then
(docs/decisions/0027): the name they go by now, the join link if the session's
join window is open now. The builder returns None (the row is not sent, and
counts as "no longer wanted") when the message or the event is gone, when the
person has left the group (cancelled their registration, lost their role,
deleted their account), or when the message is optional and they have turned
optional emails off since it was written. Optional messages carry
List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click), as
attendance's reminders do, where the group's app gives an unsubscribe link.
"""

from django.conf import settings
from django.template.loader import render_to_string

from convene.console import placeholders
from convene.console.extensions import Recipient, recipient_group
from convene.console.models import GroupMessage
from convene.console.selectors import unique_recipients
from convene.core.links import absolute_url
from convene.core.models import OutgoingEmail
from convene.core.outbox import Message
from convene.events.models import Event


def values_for(event: Event, recipient: Recipient) -> dict[str, str]:
    """Every placeholder's value for one person: the common ones, then the group's."""
    return {
        "name": recipient.name.strip() or placeholders.NAME_FALLBACK,
        "event": event.title,
        "event_link": absolute_url(event.get_absolute_url()),
        **recipient.values,
    }


def subject_for(message_subject: str, values: dict[str, str]) -> str:
    """The subject with its placeholders filled, on one line."""
    return " ".join(placeholders.fill(message_subject, values).split())


def render(
    message: GroupMessage, recipient: Recipient, *, why: str, event: Event
) -> tuple[str, str, str, dict[str, str]]:
    """(subject, text, HTML, headers) of one person's email; the preview shows the same."""
    values = values_for(event, recipient)
    body = placeholders.fill(message.body, values)
    unsubscribe = recipient.unsubscribe_url if message.optional else ""
    context = {
        "body": body,
        "event": event,
        "event_url": values["event_link"],
        "why": why.format(event=event.title),
        "unsubscribe_url": unsubscribe,
        "site_name": settings.SITE_NAME,
    }
    headers = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return (
        subject_for(message.subject, values),
        render_to_string("console/email/group_message.txt", context),
        render_to_string("console/email/group_message.html", context),
        headers,
    )


def build_group_message(row: OutgoingEmail) -> Message | None:
    message = (
        GroupMessage.objects.select_related("event")
        .prefetch_related("sessions")
        .filter(pk=row.payload.get("message"))
        .first()
    )
    group = recipient_group(message.group) if message else None
    if message is None or group is None:
        return None  # the message (or its event) was deleted, or its group's app removed
    sessions = sorted(message.sessions.all(), key=lambda s: (s.start, s.title))
    if group.takes_sessions and not sessions:
        return None  # its sessions were deleted
    found = unique_recipients(
        group.recipients(event=message.event, sessions=sessions, email=row.recipient)
    )
    if not found:
        return None  # no longer in the group
    recipient = found[0]
    if message.optional and group.can_opt_out and not recipient.accepts_optional:
        return None  # turned optional emails off since
    subject, text, html, headers = render(message, recipient, why=group.why, event=message.event)
    return Message(subject=subject, text=text, html=html, headers=headers)
