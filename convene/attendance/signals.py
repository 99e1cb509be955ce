"""Sessions are edited in the events app, which does not know attendance: when
an organiser raises a session's capacity, people waiting get the new places.

A signal because events must not import attendance (DESIGN.md); the work
itself is the service `bookings_promote`.
"""

from django.db import transaction
from django.db.models.signals import post_save
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
