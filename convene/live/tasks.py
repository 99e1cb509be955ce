"""Background work of live rooms (django.tasks). Thin: call a service, done."""

from django.tasks import task

from convene.live import services


@task
def purge_expired_messages() -> dict[str, int]:
    """The retention rule, for a scheduler that enqueues tasks instead of running commands."""
    return services.messages_purge_expired()


@task
def record_attendance(*, room_id: int, user_ids: list[int]) -> int:
    """Attendance records for people who entered a room for the first time."""
    return services.attendance_record(room_id=room_id, user_ids=user_ids)
