"""Every change the organiser console makes: keyword-only, atomic, side effects in order.

Emails are never sent here: the service records one outgoing email per person
(core/outbox.py) in its own transaction, and the one send task sends each
exactly once after commit; console/emails.py builds them.
"""

from collections.abc import Sequence
from typing import cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from convene.accounts.models import User
from convene.console import placeholders, selectors
from convene.console.extensions import RECIPIENT_GROUPS, RecipientGroup, recipient_group
from convene.console.models import GROUP_MESSAGE, GroupMessage
from convene.core import audit, outbox
from convene.events.models import Event, Session

NOBODY = "Nobody in this group would get the message."
STALE_FORM = "This form has already been used. Open the page to write a message again."


def group_message_problems(
    *, event: Event, group_key: str, sessions: Sequence[Session], subject: str, body: str
) -> dict[str, list[str]]:
    """What stops this message being sent, by field ({} when nothing does). No side
    effects: the compose form shows these, and group_message_send refuses them."""
    group = recipient_group(group_key)
    errors: dict[str, list[str]] = {}
    if group is None:
        errors["group"] = ["Choose who the message goes to."]
    elif group.takes_sessions and not sessions:
        errors["sessions"] = [f"Choose the sessions: the message goes to {group.label.lower()}."]
    elif sessions and not group.takes_sessions:
        errors["sessions"] = [f"{group.label} is not a group of chosen sessions."]
    if any(s.event_id != event.pk for s in sessions):
        errors["sessions"] = ["Choose sessions of this event."]
    groups = RECIPIENT_GROUPS.all()
    for name, text in (("subject", subject), ("body", body)):
        if not text.strip():
            field = "message" if name == "body" else name
            errors.setdefault(name, []).append(f"Enter the {field}.")
        errors.setdefault(name, []).extend(placeholders.problems(text, group, groups))
    return {name: found for name, found in errors.items() if found}


@transaction.atomic
def _sent_with(message: GroupMessage, event: Event) -> GroupMessage:
    """The message a send key already sent; a key of another event's message (a form
    altered by hand) is refused rather than answered with that message."""
    if message.event_id != event.pk:
        raise ValidationError({NON_FIELD_ERRORS: [STALE_FORM]})
    return message


def group_message_send(
    *,
    event: Event,
    group_key: str,
    sessions: Sequence[Session] = (),
    subject: str,
    body: str,
    optional: bool,
    by: User | None,
    send_key: str | None = None,
) -> GroupMessage:
    """Send a message to a group of the event's people, each person once.

    Side effects, in order: 1. the message row (subject and body as written,
    placeholders unfilled); 2. one outgoing email per person in the group
    (`group_message:<id>`: a person in the group twice, by two roles or two
    sessions, is one email), leaving out, for an optional message, the people
    who have not agreed to or have turned off optional emails; after commit the
    send task is enqueued for each, and builds each email when it sends it
    (console/emails.py); 3. the audit log records it with the group and the
    counts. Refused (ValidationError by field, nothing stored) for an unknown
    group, missing or foreign sessions, an empty subject or body, a placeholder
    the group cannot fill or a stray brace, and a group nobody would get it in.
    With a `send_key` (the compose form's), sending the same form again returns
    the message already sent and records nothing.
    """
    if send_key:
        already = GroupMessage.objects.filter(send_key=send_key).first()
        if already is not None:
            return _sent_with(already, event)
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    problems = group_message_problems(
        event=event, group_key=group_key, sessions=sessions, subject=subject, body=body
    )
    if problems:
        raise ValidationError(problems)
    group = cast(RecipientGroup, recipient_group(group_key))  # refused above when unknown
    reached = selectors.audience(group=group, event=event, sessions=sessions, optional=optional)
    if not reached.count:
        raise ValidationError({"group": [NOBODY]})
    try:
        with transaction.atomic():  # a savepoint: the same form sent twice at once
            message = GroupMessage.objects.create(
                event=event,
                group=group.key,
                subject=subject,
                body=body,
                optional=optional,
                sent_by=by if by is not None and by.is_authenticated else None,
                recipient_count=reached.count,
                left_out_count=reached.left_out,
                send_key=send_key or None,
            )
    except IntegrityError:
        return _sent_with(GroupMessage.objects.get(send_key=send_key), event)
    message.sessions.set(sessions)
    outbox.emails_record(
        kind=GROUP_MESSAGE,
        emails=[
            {"recipient": r.email, "purpose": message.purpose, "payload": {"message": message.pk}}
            for r in reached.recipients
        ],
    )
    audit.audit_record(
        actor=by,
        action="console.message_sent",
        obj=message,
        event_id=event.pk,
        data={
            "group": group.label,
            **({"sessions": [s.title for s in sessions]} if sessions else {}),
            "kind": "optional" if optional else "essential",
            "recipients": reached.count,
            **({"left_out": reached.left_out} if optional and group.can_opt_out else {}),
        },
    )
    return message
