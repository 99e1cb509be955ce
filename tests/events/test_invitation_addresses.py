"""Accepting a host invitation needs the invited address to be the person's own."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied

from convene.events import services
from convene.events.models import Host
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unconfirmed_sign_up_with_the_invited_address_cannot_accept(organiser, session):
    stranger = UserFactory(email="carol@example.org")
    EmailAddress.objects.create(user=stranger, email=stranger.email, verified=False, primary=True)
    invitation = services.host_invite(
        session=session, email="carol@example.org", role="host", invited_by=organiser
    )

    with pytest.raises(PermissionDenied, match=r"This invitation was sent to carol@example\.org"):
        services.host_invitation_accept(invitation=invitation, user=stranger)

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Host.objects.filter(session=session, user=stranger).exists()


def test_a_verified_address_accepts(organiser, session):
    carol = UserFactory(email="carol@example.org")
    EmailAddress.objects.create(user=carol, email=carol.email, verified=True, primary=True)
    invitation = services.host_invite(
        session=session, email="carol@example.org", role="host", invited_by=organiser
    )

    host = services.host_invitation_accept(invitation=invitation, user=carol)

    assert (host.session, host.user, host.role) == (session, carol, "host")
