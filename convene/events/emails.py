"""The events app's emails: the host invitation and the team invitation, message
builders of the one outgoing-email pipeline (core/outbox.py), registered in
events/hooks.py."""

from django.template.loader import render_to_string
from django.utils import timezone

from convene.core.links import absolute_url
from convene.core.models import OutgoingEmail
from convene.core.outbox import Message
from convene.events.models import HostInvitation, TeamInvitation

HOST_INVITATION = "host_invitation"
TEAM_INVITATION = "team_invitation"


def build_host_invitation(row: OutgoingEmail) -> Message | None:
    """The invitation, from current data; None once accepted or deleted."""
    invitation = (
        HostInvitation.objects.select_related("session__event", "invited_by")
        .filter(pk=row.payload.get("invitation"), accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return None
    context = {
        "invitation": invitation,
        "session": invitation.session,
        "event": invitation.session.event,
        "accept_url": absolute_url(invitation.get_absolute_url()),
    }
    return Message(
        subject=f"You are invited to host “{invitation.session.title}”",
        text=render_to_string("events/email/host_invitation.txt", context),
        html=render_to_string("events/email/host_invitation.html", context),
    )


def build_team_invitation(row: OutgoingEmail) -> Message | None:
    """The invitation to a role in the event's team, from current data (every email
    of it, re-sends too, carries the same link and the current expiry); None once
    it was accepted, revoked or deleted, or has expired: its link would be refused."""
    invitation = (
        TeamInvitation.objects.select_related("event", "invited_by")
        .filter(
            pk=row.payload.get("invitation"),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        return None
    event = invitation.event
    context = {
        "invitation": invitation,
        "event": event,
        "role": invitation.get_role_display().lower(),
        "accept_url": absolute_url(invitation.get_absolute_url()),
    }
    return Message(
        subject=f"You are invited to be {_article(context['role'])} of {event.title}",
        text=render_to_string("events/email/team_invitation.txt", context),
        html=render_to_string("events/email/team_invitation.html", context),
    )


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"
