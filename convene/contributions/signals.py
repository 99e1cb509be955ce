"""The stamps of cached public pages (core.stamps, docs/decisions/0022): a
contribution (its text, tags, hiding, answer) changes its event's and the
site's "contributions" stamp, a vote their "votes" stamp, in the transaction
of the change. Signals, like the programme's (events/signals.py), so Django
admin edits count too; authors' names come from their accounts.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from convene.contributions.models import Contribution, Vote
from convene.contributions.services import boards_stamped

# What an author's account lends a contribution on the boards (public_author_name).
_SHOWN_USER_FIELDS = frozenset({"name"})


@receiver([post_save, post_delete], sender=Contribution)
def _contribution_changed(sender, instance: Contribution, **kwargs) -> None:
    boards_stamped(event_ids=[instance.event_id], name="contributions")


@receiver(m2m_changed, sender=Contribution.principles.through)
def _contribution_tagged(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Contribution):
        boards_stamped(event_ids=[instance.event_id], name="contributions")


@receiver([post_save, post_delete], sender=Vote)
def _vote_changed(sender, instance: Vote, **kwargs) -> None:
    event_ids = Contribution.objects.filter(pk=instance.contribution_id).values_list(
        "event_id", flat=True
    )
    boards_stamped(event_ids=event_ids, name="votes")


User = get_user_model()


def _authored_event_ids(user_id: int) -> set[int]:
    return set(Contribution.objects.filter(author_id=user_id).values_list("event_id", flat=True))


@receiver(post_save, sender=User)
def _author_account_changed(sender, instance, update_fields=None, created=False, **kwargs) -> None:
    if created or (update_fields is not None and not _SHOWN_USER_FIELDS & set(update_fields)):
        return
    if event_ids := _authored_event_ids(instance.pk):
        boards_stamped(event_ids=event_ids, name="contributions")


@receiver(pre_delete, sender=User)
def _author_account_deleted(sender, instance, **kwargs) -> None:
    # Contribution.author is set to NULL ("Anonymous") by an UPDATE without signals.
    if event_ids := _authored_event_ids(instance.pk):
        boards_stamped(event_ids=event_ids, name="contributions")
