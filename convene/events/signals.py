"""Keep the programme cache honest: any change to its parts bumps the version.

A signal rather than calls in services because Django admin and bulk imports
write these rows too; this is cache bookkeeping, not business logic.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from convene.events.cache import programme_changed
from convene.events.models import Host, Room, Session, Track


@receiver([post_save, post_delete], sender=Session)
@receiver([post_save, post_delete], sender=Room)
@receiver([post_save, post_delete], sender=Track)
def _session_room_or_track_changed(sender, instance, **kwargs) -> None:
    programme_changed(instance.event_id)


@receiver([post_save, post_delete], sender=Host)
def _host_changed(sender, instance, **kwargs) -> None:
    event_id = (
        Session.objects.filter(pk=instance.session_id).values_list("event_id", flat=True).first()
    )
    if event_id is not None:
        programme_changed(event_id)
