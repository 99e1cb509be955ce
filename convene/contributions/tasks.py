"""Background work of contributions (django.tasks, database queue). Thin: call a function, done."""

from django.tasks import task

from convene.contributions import notifications


@task
def send_answer_email(*, email_id: int) -> str:
    """Tell an asker their question was answered, exactly once (notifications.py)."""
    return notifications.answer_email_send(email_id=email_id)
