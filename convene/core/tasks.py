"""Background work of core (django.tasks, database queue). Thin: call a service, done."""

from django.tasks import task

from convene.core import outbox


@task
def send_outgoing_email(*, email_id: int) -> str:
    """Send one recorded email of any kind, exactly once (core/outbox.py)."""
    return outbox.email_send(email_id=email_id)
