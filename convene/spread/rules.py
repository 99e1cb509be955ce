"""Who may read and edit the principles lens.

Anyone reads it. The principles are shared by every event, so editing them is
for people who organise at least one event (and superusers)."""

import rules

from convene.events.models import EventRole


@rules.predicate
def organises_an_event(user) -> bool:
    if not user.is_authenticated:
        return False
    return EventRole.objects.filter(user=user, role=EventRole.Role.ORGANISER).exists()


rules.add_perm("spread.view_principle", rules.always_allow)
rules.add_perm(
    "spread.change_principle", rules.is_active & (organises_an_event | rules.is_superuser)
)
