"""Background work of attendance (django.tasks, database queue). Thin: call a function, done."""

from django.tasks import task

from convene.attendance import delivery


@task
def send_email_delivery(*, delivery_id: int) -> str:
    """Send one recorded email, exactly once (see attendance/delivery.py)."""
    return delivery.delivery_send(delivery_id=delivery_id)
