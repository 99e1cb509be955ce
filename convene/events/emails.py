"""The events app's email: the host invitation, a message builder of the one
outgoing-email pipeline (core/outbox.py), registered in EventsConfig.ready."""

from django.template.loader import render_to_string

from convene.core.links import absolute_url
from convene.core.models import OutgoingEmail
from convene.core.outbox import Message
from convene.events.models import HostInvitation

HOST_INVITATION = "host_invitation"


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
