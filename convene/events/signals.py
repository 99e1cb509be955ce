"""Keep the programme cache honest: any change to its parts bumps the version.

A signal rather than calls in services because Django admin and bulk imports
write these rows too; this is cache bookkeeping, not business logic. The event
row itself (its text, dates, publication) and hosts' names, which come from
their accounts, bump the same stamps (core.stamps, docs/decisions/0022).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from convene.events.cache import event_stamped, programme_changed
from convene.events.models import Event, Host, Room, Session, Track

# What a host's account lends their entry in the programme (Host.display_*).
_SHOWN_USER_FIELDS = frozenset({"name", "organisation"})


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


@receiver(pre_save, sender=Event)
def _event_about_to_change(sender, instance: Event, raw: bool = False, **kwargs) -> None:
    # A new slug leaves the old address: its cached pages must go too.
    instance._stamp_old_slug = (  # type: ignore[attr-defined]
        Event.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


@receiver([post_save, post_delete], sender=Event)
def _event_changed(sender, instance: Event, **kwargs) -> None:
    old = getattr(instance, "_stamp_old_slug", None)
    event_stamped(*{instance.slug, old} - {None})


User = get_user_model()


def _hosted_event_ids(user_id: int) -> set[int]:
    return set(Host.objects.filter(user_id=user_id).values_list("session__event_id", flat=True))


@receiver(post_save, sender=User)
def _host_account_changed(sender, instance, update_fields=None, created=False, **kwargs) -> None:
    if created or (update_fields is not None and not _SHOWN_USER_FIELDS & set(update_fields)):
        return  # e.g. last_login on every sign-in: nothing the programme shows
    for event_id in _hosted_event_ids(instance.pk):
        programme_changed(event_id)


@receiver(pre_delete, sender=User)
def _host_account_deleted(sender, instance, **kwargs) -> None:
    # Host.user is set to NULL by one UPDATE without signals: say it here.
    for event_id in _hosted_event_ids(instance.pk):
        programme_changed(event_id)
