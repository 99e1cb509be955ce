"""The events app's part of "download my data" and "delete my account": team
invitations (registered in events/hooks.py through accounts.extensions).

A person's event roles and host rows are the accounts app's own part
(accounts.selectors.user_data_export, accounts.services.user_erase). A team
invitation is addressed to a mailbox, so it is the person's when the address is
theirs as accepting asks it (`owns_email_address`: verified on their account, or
the email of an account an operator made), or when they accepted it.
"""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from convene.accounts.extensions import PersonalData
from convene.accounts.models import User
from convene.events.models import TeamInvitation


def _invitations(user: User) -> QuerySet[TeamInvitation]:
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    owned = {email.lower() for email, verified in addresses if verified}
    if not addresses:
        owned.add(user.email.lower())
    return TeamInvitation.objects.filter(Q(email__in=owned) | Q(accepted_by=user))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "event_slug": invitation.event.slug,
            "event": invitation.event.title,
            "email": invitation.email,
            "role": invitation.role,
            "sent_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "accepted_at": _iso(invitation.accepted_at),
            "revoked_at": _iso(invitation.revoked_at),
        }
        for invitation in _invitations(user).select_related("event").order_by("created_at", "id")
    ]


def erase(user: User) -> None:
    """Invitations to the person are deleted (open ones too: their links stop
    working); invitations they sent stay, without their name."""
    _invitations(user).delete()
    TeamInvitation.objects.filter(invited_by=user).update(invited_by=None)


PERSONAL_DATA = PersonalData("team_invitations", export, erase)
