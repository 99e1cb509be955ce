"""The console's part of "download my data" and "delete my account" (registered in
console/hooks.py through accounts.extensions).

The console holds, about a person, the messages they sent as an organiser and
the ledger rows of the group messages sent to them (their address is the
row's key). A deleted account's messages stay, sent by "a deleted account" (the
anonymised user), because the event's record of what it told people stays
true; the emails to the person are deleted, so nothing more goes to them and
their address is not kept (the sent log's counts lose them).
"""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, Subquery
from django.db.models.functions import Lower

from convene.accounts.extensions import PersonalData
from convene.accounts.models import User
from convene.console.models import GROUP_MESSAGE, GroupMessage
from convene.core.models import OutgoingEmail


def _emails_to(user: User):
    """The group messages' ledger rows to the person's address or their verified ones."""
    verified = (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )
    return OutgoingEmail.objects.filter(kind=GROUP_MESSAGE).filter(
        Q(recipient=user.email.lower()) | Q(recipient__in=Subquery(verified))
    )


def export(user: User) -> dict[str, Any]:
    return {
        "messages_sent": [
            {
                "event_slug": m.event.slug,
                "subject": m.subject,
                "body": m.body,
                "group": m.group,
                "sessions": [s.title for s in m.sessions.all()],
                "optional": m.optional,
                "recipients": m.recipient_count,
                "sent_at": m.created_at.isoformat(),
            }
            for m in GroupMessage.objects.filter(sent_by=user)
            .select_related("event")
            .prefetch_related("sessions")
            .order_by("created_at", "pk")
        ],
        "messages_received": sorted(set(_emails_to(user).values_list("purpose", flat=True))),
    }


def erase(user: User) -> None:
    _emails_to(user).delete()


PERSONAL_DATA = PersonalData(key="console", export=export, erase=erase)
