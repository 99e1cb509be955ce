"""Sessions are edited in the events app, which does not know attendance: when
an organiser raises a session's capacity, people waiting get the new places;
when an organiser cancels a session (events.services.session_cancel, or the
admin's status field), everyone booked or waiting is emailed.

Signals because events must not import attendance (docs/architecture.md); the work
itself is the services `bookings_promote` and `session_cancelled_notify`.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from convene.events.models import Session


@receiver(post_save, sender=Session)
def _capacity_may_have_risen(sender, instance: Session, created: bool, **kwargs) -> None:
    if created or instance.capacity is None:
        return
    from convene.attendance.models import Booking
    from convene.attendance.services import bookings_promote

    if Booking.objects.filter(session=instance, state=Booking.State.WAITING).exists():
        transaction.on_commit(lambda: bookings_promote(session=instance))


@receiver(pre_save, sender=Session)
def _note_whether_this_save_cancels(sender, instance: Session, raw: bool, **kwargs) -> None:
    """Only the save that turns a session cancelled tells people; later edits of a
    cancelled session do not. The stored status is read only when it matters."""
    instance._cancels_now = (
        not raw
        and instance.pk is not None
        and instance.is_cancelled
        and not Session.objects.filter(pk=instance.pk, status=Session.Status.CANCELLED).exists()
    )


@receiver(post_save, sender=Session)
def _tell_people_when_cancelled(sender, instance: Session, **kwargs) -> None:
    # In the cancelling transaction: the emails are recorded exactly when it commits.
    if getattr(instance, "_cancels_now", False):
        from convene.attendance.services import session_cancelled_notify

        session_cancelled_notify(session=instance)
