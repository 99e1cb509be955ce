"""Console fixtures, on top of the personas in tests/conftest.py.

Tasks run at once (after commit) unless a test says otherwise; email goes to a
real SMTP server (tests/smtp.py) where a test asks for `mail`.

- `register(user, event, **details)`: a confirmed registration (attendance's service);
- `book(registration, session)`: a place, or the waiting list when full;
- `send(event, group, ...)`: a message through the console's service;
- `compose_url(event)` / `messages_url(event)` / `message_url(message)`.
"""

import pytest
from django.urls import reverse

from convene.attendance import services as attendance_services
from convene.console import services
from convene.console.models import GroupMessage


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_at_once):
    """Every console test runs its tasks at once (tests/conftest.py)."""


def register(user, event, **details):
    return attendance_services.registration_create(event=event, user=user, **details)


def book(registration, session):
    return attendance_services.booking_create(registration=registration, session=session)


def send(
    event,
    group: str,
    *,
    by,
    sessions=(),
    subject="Hello",
    body="Hello {name}",
    optional=False,
    **extra,
) -> GroupMessage:
    return services.group_message_send(
        event=event,
        group_key=group,
        sessions=list(sessions),
        subject=subject,
        body=body,
        optional=optional,
        by=by,
        **extra,
    )


def compose_url(event) -> str:
    return reverse("console:message_new", kwargs={"event": event.slug})


def messages_url(event) -> str:
    return reverse("console:messages", kwargs={"event": event.slug})


def message_url(message) -> str:
    return reverse("console:message", kwargs={"event": message.event.slug, "pk": message.pk})


def compose_data(**fields) -> dict:
    """What the compose form posts: a message to everyone registered, essential."""
    return {
        "group": "registrants",
        "kind": "essential",
        "subject": "Hello",
        "body": "Hello {name}",
        "action": "preview",
    } | fields
