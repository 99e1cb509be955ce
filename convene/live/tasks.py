"""Background work of live rooms (django.tasks). Thin: call a service, done."""

from django.tasks import task

from convene.live import services


@task
def purge_expired_messages() -> dict[str, int]:
    """The retention rule, for a scheduler that enqueues tasks instead of running commands."""
    return services.messages_purge_expired()
