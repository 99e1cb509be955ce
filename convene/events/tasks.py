"""Background work of the events app (django.tasks, database queue)."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from convene.core.links import absolute_url
from convene.events.models import HostInvitation


@task
def send_host_invitation(*, invitation_id: int) -> None:
    """Email a host invitation. Skips invitations accepted or deleted meanwhile."""
    invitation = (
        HostInvitation.objects.select_related("session__event", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    context = {
        "invitation": invitation,
        "session": invitation.session,
        "event": invitation.session.event,
        "accept_url": absolute_url(invitation.get_absolute_url()),
    }
    message = EmailMultiAlternatives(
        subject=f"You are invited to host “{invitation.session.title}”",
        body=render_to_string("events/email/host_invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("events/email/host_invitation.html", context), "text/html"
    )
    message.send()
