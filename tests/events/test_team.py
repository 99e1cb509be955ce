"""The event's team page (/orga/<event>/team/) and team invitations
(/team-invitations/<token>/): who may open what, invitations by email through the
real SMTP server, accepting, re-sending, revoking, expiry, and changing roles."""

from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convene.core.models import AuditEntry, OutgoingEmail
from convene.events import services, tokens
from convene.events.models import EventRole, Host, TeamInvitation
from tests.factories import EventFactory, HostFactory, SessionFactory, UserFactory
from tests.personas import LOGIN, client_for, matrix, outcome, sign_in_url

pytestmark = pytest.mark.django_db
ORGANISERS = {"organiser": 200, "superuser": 200, "anonymous": LOGIN}
SITE = "http://127.0.0.1:8000"


def _team_url(event) -> str:
    return reverse("events:orga_team", kwargs={"event": event.slug})


def _path(link: str) -> str:
    """The path of an emailed link (on SITE_URL), for the test client."""
    assert link.startswith(SITE), link
    return urlsplit(link).path


def _invite(organiser, event, email="carol@example.org", role="reviewer"):
    return services.team_invite(event=event, email=email, role=role, by=organiser)


def _age(invitation, *, days: int) -> None:
    """Make the invitation `days` older (sent then, expiring 14 days after)."""
    then = timezone.now() - timedelta(days=days)
    TeamInvitation.objects.filter(pk=invitation.pk).update(
        created_at=then, last_sent_at=then, expires_at=then + timedelta(days=14)
    )


def _roles(event) -> set[tuple[str, str]]:
    return set(EventRole.objects.filter(event=event).values_list("user__email", "role"))


def _actions(event) -> list[str]:
    return list(
        AuditEntry.objects.filter(event_id=event.pk).order_by("id").values_list("action", flat=True)
    )


# --- Who may open what ---------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), matrix(ORGANISERS))
def test_only_the_events_organisers_and_superusers_open_the_team_page(
    as_persona, event, persona, expected
):
    assert outcome(as_persona(persona).get(_team_url(event))) == expected


def _writes(event, session, invitation) -> dict[str, tuple[str, dict]]:
    slug = event.slug
    member = session.hosts.get(user__isnull=False).user_id
    return {
        "invite": (_team_url(event), {"email": "new@example.org", "role": "judge"}),
        "add": (
            reverse("events:orga_team_role_add", kwargs={"event": slug}),
            {"person": member, "role": "reviewer"},
        ),
        "remove": (
            reverse("events:orga_team_role_remove", kwargs={"event": slug}),
            {"person": member, "role": "host"},
        ),
        "resend": (
            reverse(
                "events:orga_team_invitation_resend", kwargs={"event": slug, "pk": invitation.pk}
            ),
            {},
        ),
        "revoke": (
            reverse(
                "events:orga_team_invitation_revoke", kwargs={"event": slug, "pk": invitation.pk}
            ),
            {},
        ),
    }


def _state(event):
    return (
        _roles(event),
        list(TeamInvitation.objects.values_list("email", "sends", "revoked_at")),
        OutgoingEmail.objects.count(),
    )


@pytest.mark.parametrize("write", ["invite", "add", "remove", "resend", "revoke"])
@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"organiser": 302, "superuser": 302, "anonymous": LOGIN})
)
def test_only_organisers_and_superusers_change_the_team(
    as_persona, organiser, host, event, session, write, persona, expected
):
    invitation = _invite(organiser, event)
    url, data = _writes(event, session, invitation)[write]
    client = as_persona(persona)
    before = _state(event)

    response = client.post(url, data)

    assert outcome(response) == expected
    if expected == 302:
        assert _state(event) != before
        assert response["Location"].startswith(_team_url(event))
    else:
        assert _state(event) == before
    if expected == LOGIN:
        assert response["Location"] == sign_in_url(url)


@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"attendee": 200, "anonymous": LOGIN}, refused=403)
)
def test_only_the_owner_of_the_invited_address_opens_the_invitation(
    as_persona, organiser, event, persona, expected
):
    """Not the organiser who sent it, nor a superuser: the invitation is the address's."""
    invitation = _invite(organiser, event, email="attendee@example.org")
    url = invitation.get_absolute_url()

    response = as_persona(persona).get(url)

    assert outcome(response) == expected
    if expected == LOGIN:
        assert response["Location"] == sign_in_url(url)
    if expected == 403:
        assert "This invitation is for another email address" in response.content.decode()


def test_an_organiser_of_another_event_can_neither_see_nor_change_this_team(
    organiser, host, event, session
):
    other = EventFactory(slug="other")
    theirs = UserFactory(email="theirs@example.org")
    EventRole.objects.create(event=other, user=theirs, role=EventRole.Role.ORGANISER)
    invitation = _invite(organiser, event)
    client = client_for(theirs)
    before = _state(event)

    page = client.get(_team_url(event))
    writes = {
        name: client.post(url, data).status_code
        for name, (url, data) in _writes(event, session, invitation).items()
    }
    # Through their own event's addresses, this event's invitation is not found.
    resend = client.post(
        reverse(
            "events:orga_team_invitation_resend", kwargs={"event": "other", "pk": invitation.pk}
        )
    )
    own = client.get(_team_url(other)).content.decode()

    assert page.status_code == 403
    assert writes == dict.fromkeys(writes, 403)
    assert resend.status_code == 404
    assert _state(event) == before
    assert "carol@example.org" not in own
    assert "Hana Host" not in own


# --- The page -------------------------------------------------------------------------


def test_the_page_lists_each_person_once_with_roles_email_and_hosted_sessions(
    organiser, host, moderator, speaker, judge, event, session
):
    EventRole.objects.create(event=event, user=judge, role=EventRole.Role.REVIEWER)
    _invite(organiser, event, email="carol@example.org", role="judge")

    response = client_for(organiser).get(_team_url(event))
    team = response.context["team"]
    html = response.content.decode()

    rows = {
        m.user.email: (m.roles, [h.get_role_display() for h in m.hosting]) for m in team.members
    }
    assert rows == {
        "organiser@example.org": (["organiser"], []),
        "host@example.org": (["host"], ["Host"]),
        "moderator@example.org": (["host"], ["Moderator"]),
        "speaker@example.org": ([], ["Speaker"]),  # a Host row, no event role
        "judge@example.org": (["reviewer", "judge"], []),
    }
    assert [m.user.name for m in team.members] == sorted(m.user.name for m in team.members)
    assert [(i.email, i.role, i.invited_by) for i in team.invitations] == [
        ("carol@example.org", "judge", organiser)
    ]
    assert "5 people" in html
    assert "(the only organiser)" in html
    assert "Spreading improvement</a> (speaker)" in html
    assert "Olu Organiser" in html.split('id="invitations"')[1]


@pytest.mark.parametrize("people", [1, 3])
def test_the_team_page_runs_a_fixed_number_of_queries(organiser, event, people):
    for i in range(people):
        person = UserFactory()
        EventRole.objects.create(event=event, user=person, role=EventRole.Role.REVIEWER)
        EventRole.objects.create(event=event, user=person, role=EventRole.Role.HOST)
        HostFactory(session=SessionFactory(event=event), user=person, guest_name="")
        _invite(organiser, event, email=f"invited{i}@example.org", role="judge")
    client = client_for(organiser)
    client.get(_team_url(event))  # content types and sessions warmed up

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_team_url(event))

    assert response.status_code == 200
    assert len(response.context["team"].members) == people + 1
    assert len(response.context["team"].invitations) == people
    # session, user, event, its roles (the rule), team: roles, hosts, invitations
    assert len(ctx.captured_queries) == 7, [q["sql"] for q in ctx.captured_queries]


# --- Inviting, by email through the real SMTP server ---------------------------------


@pytest.fixture
def carol(db):
    user = UserFactory(email="carol@example.org", name="Carol Munt")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_the_email_arrives_with_the_link_and_following_it_grants_the_role(
    mail, tasks_at_once, organiser, event, carol
):
    response = client_for(organiser).post(
        _team_url(event), {"email": " Carol@Example.org ", "role": "reviewer"}
    )
    [message] = mail.messages
    invitation = TeamInvitation.objects.get()
    [link] = message.links
    as_carol = client_for(carol)

    page = as_carol.get(_path(link))
    accepted = as_carol.post(_path(link))

    assert response.status_code == 302
    assert message.to == ["carol@example.org"]
    assert message.subject == "You are invited to be a reviewer of The Big Conversation"
    assert "Olu Organiser invited you to be reviewer of The Big Conversation." in message.body
    assert link == f"{SITE}{invitation.get_absolute_url()}"
    assert invitation.key not in link  # the link carries a signature, not the stored key
    html = message.message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{link}"' in html
    assert page.status_code == 200
    assert "Accept and become a reviewer" in page.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == event.get_absolute_url()
    assert ("carol@example.org", "reviewer") in _roles(event)
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.email) == (carol, "carol@example.org")
    assert OutgoingEmail.objects.get().purpose == f"team_invitation:{invitation.pk}:1"
    assert _actions(event) == ["events.team_invited", "events.team_invitation_accepted"]


def test_opening_the_page_changes_nothing(organiser, event, carol):
    invitation = _invite(organiser, event)

    client_for(carol).get(invitation.get_absolute_url())

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert ("carol@example.org", "reviewer") not in _roles(event)


def test_an_invited_organiser_lands_in_the_organiser_area(organiser, event, carol):
    invitation = _invite(organiser, event, role="organiser")

    response = client_for(carol).post(invitation.get_absolute_url())

    assert response["Location"] == reverse("events:orga_grid", kwargs={"event": event.slug})
    assert client_for(carol).get(_team_url(event)).status_code == 200


def test_a_different_signed_in_address_is_refused_and_granted_nothing(
    mail, tasks_at_once, organiser, event, outsider
):
    client_for(organiser).post(_team_url(event), {"email": "carol@example.org", "role": "judge"})
    [message] = mail.messages
    as_outsider = client_for(outsider)

    page = as_outsider.get(_path(message.links[0]))
    accept = as_outsider.post(_path(message.links[0]))

    for response in (page, accept):
        html = response.content.decode()
        assert response.status_code == 403
        assert "It was sent to <strong>carol@example.org</strong>" in html
        assert "You are signed in as outsider@example.org" in html
    assert _roles(event) == {("organiser@example.org", "organiser")}
    assert TeamInvitation.objects.get().accepted_at is None
    assert _actions(event) == ["events.team_invited"]


def test_an_unconfirmed_sign_up_with_the_invited_address_is_refused(organiser, event):
    stranger = UserFactory(email="carol@example.org")
    EmailAddress.objects.create(user=stranger, email=stranger.email, verified=False, primary=True)
    invitation = _invite(organiser, event)

    response = client_for(stranger).post(invitation.get_absolute_url())

    assert response.status_code == 403
    assert ("carol@example.org", "reviewer") not in _roles(event)


def test_a_second_verified_address_of_an_account_accepts(organiser, event, outsider):
    EmailAddress.objects.create(user=outsider, email=outsider.email, verified=True, primary=True)
    EmailAddress.objects.create(user=outsider, email="oz@work.example.org", verified=True)
    invitation = _invite(organiser, event, email="OZ@work.example.org")

    response = client_for(outsider).post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert ("outsider@example.org", "reviewer") in _roles(event)


def test_anonymous_visitors_sign_in_and_come_back_to_accept(organiser, event, carol):
    invitation = _invite(organiser, event)
    url = invitation.get_absolute_url()
    client = Client()

    first = client.get(url)
    login = client.get(first["Location"])
    client.force_login(carol)
    back = client.get(url)

    assert first["Location"] == sign_in_url(url)
    # The sign-in page offers to create an account, coming back here too.
    assert f'href="/accounts/signup/?next={quote(url, safe="")}"' in login.content.decode()
    assert back.status_code == 200


def test_accepting_twice_is_harmless(organiser, event, carol):
    invitation = _invite(organiser, event)
    client = client_for(carol)

    client.post(invitation.get_absolute_url())
    again = client.post(invitation.get_absolute_url())
    page = client.get(invitation.get_absolute_url())

    assert again.status_code == 302
    assert EventRole.objects.filter(event=event, user=carol).count() == 1
    assert _actions(event) == ["events.team_invited", "events.team_invitation_accepted"]
    assert "You have accepted this invitation" in page.content.decode()


def test_a_used_link_does_not_give_back_a_role_taken_away_since(organiser, event, carol):
    invitation = _invite(organiser, event)
    client = client_for(carol)
    client.post(invitation.get_absolute_url())
    services.role_remove(event=event, user=carol, role="reviewer", by=organiser)

    again = client.post(invitation.get_absolute_url())

    assert again.status_code == 200
    assert "your role has since been taken away" in again.content.decode()
    assert not EventRole.objects.filter(event=event, user=carol).exists()
    assert _actions(event)[-1] == "events.role_removed"  # no new acceptance


def test_accepting_a_role_already_held_keeps_the_one_role(organiser, event, carol):
    invitation = _invite(organiser, event, role="judge")
    EventRole.objects.create(event=event, user=carol, role=EventRole.Role.JUDGE)

    response = client_for(carol).post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert EventRole.objects.filter(event=event, user=carol, role="judge").count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == carol


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_link_shows_a_clear_page_and_grants_nothing(
    organiser, event, carol, state
):
    invitation = _invite(organiser, event)
    if state == "revoked":
        client_for(organiser).post(
            reverse(
                "events:orga_team_invitation_revoke",
                kwargs={"event": event.slug, "pk": invitation.pk},
            )
        )
    else:
        _age(invitation, days=15)
    client = client_for(carol)

    page = client.get(invitation.get_absolute_url())
    accept = client.post(invitation.get_absolute_url())

    heading = {"revoked": "This invitation was revoked", "expired": "This invitation has expired"}
    for response in (page, accept):
        assert response.status_code == 410
        assert f"<h1>{heading[state]}</h1>" in response.content.decode()
        assert "Accept and become" not in response.content.decode()
    assert ("carol@example.org", "reviewer") not in _roles(event)
    assert TeamInvitation.objects.get().accepted_at is None


def test_an_invitation_accepted_by_another_account_cannot_be_accepted_again(organiser, event):
    """Two accounts can own one address: one an operator made (no address rows), one
    where it is verified as a second address."""
    invitation = _invite(organiser, event)
    made_by_operator = UserFactory(email="carol@example.org")
    client_for(made_by_operator).post(invitation.get_absolute_url())
    twin = UserFactory(email="carol.twin@example.org")
    EmailAddress.objects.create(user=twin, email="carol@example.org", verified=True)

    response = client_for(twin).post(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    assert not EventRole.objects.filter(event=event, user=twin).exists()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "123",
        "99999999999999999999999999.abc",
        "{pk}.not-the-signature",
        "{other}",  # another invitation's signature with this one's id
        "{forged}",  # signed with the stored key but another secret key
    ],
)
def test_a_bad_or_guessed_link_is_a_404(organiser, event, carol, token):
    invitation = _invite(organiser, event)
    other = _invite(organiser, event, email="dan@example.org")
    forged = signing.Signer(
        key="not-the-secret-key", salt=f"{tokens.SALT}:{invitation.key}", sep="."
    ).sign(str(invitation.pk))
    other_signature = other.get_absolute_url().split("/")[-2].split(".")[1]
    token = token.format(
        pk=invitation.pk, other=f"{invitation.pk}.{other_signature}", forged=forged
    )

    response = client_for(carol).get(f"/team-invitations/{token}/")

    assert response.status_code == 404


def test_a_link_keeps_working_while_the_secret_key_is_rotated(settings, organiser, event, carol):
    invitation = _invite(organiser, event)
    url = invitation.get_absolute_url()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    response = client_for(carol).get(url)

    assert response.status_code == 200
    assert f"<h1>Join the team of {event.title}</h1>" in response.content.decode()


# --- Re-sending and revoking ----------------------------------------------------------


def _resend(client, invitation):
    return client.post(
        reverse(
            "events:orga_team_invitation_resend",
            kwargs={"event": invitation.event.slug, "pk": invitation.pk},
        ),
        follow=True,
    )


def test_re_sending_sends_a_second_email_with_the_same_link_and_a_new_expiry(
    mail, tasks_at_once, organiser, event
):
    client = client_for(organiser)
    client.post(_team_url(event), {"email": "carol@example.org", "role": "judge"})
    invitation = TeamInvitation.objects.get()
    _age(invitation, days=15)  # expired unused

    response = _resend(client, invitation)

    first, second = mail.messages
    assert first.links == second.links == [f"{SITE}{invitation.get_absolute_url()}"]
    assert first.message["Message-ID"] != second.message["Message-ID"]
    assert "Invitation sent again to carol@example.org." in response.content.decode()
    assert sorted(OutgoingEmail.objects.values_list("purpose", flat=True)) == [
        f"team_invitation:{invitation.pk}:1",
        f"team_invitation:{invitation.pk}:2",
    ]
    invitation.refresh_from_db()
    assert invitation.sends == 2
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert _actions(event) == ["events.team_invited", "events.team_invitation_resent"]
    assert AuditEntry.objects.order_by("id").last().data == {
        "email": "carol@example.org",
        "role": "Judge",
        "sent": 2,
    }


def test_an_invitation_is_sent_four_times_at_most(organiser, event):
    invitation = _invite(organiser, event)
    client = client_for(organiser)
    for _ in range(3):
        _resend(client, invitation)

    page = _resend(client, invitation)

    assert OutgoingEmail.objects.filter(kind="team_invitation").count() == 4
    assert "has been sent 4 times, the most it can be" in page.content.decode()
    assert "Re-send<span" not in page.content.decode()  # the button is gone
    assert TeamInvitation.objects.get().sends == 4


def test_a_revoked_invitations_unsent_email_is_not_sent(mail, organiser, event, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued only
    invitation = _invite(organiser, event)

    services.team_invitation_revoke(invitation=invitation, by=organiser)
    result = services.outbox.email_send(email_id=OutgoingEmail.objects.get().pk)

    assert result == "failed"
    assert mail.messages == []
    assert _actions(event) == ["events.team_invited", "events.team_invitation_revoked"]


def test_revoking_twice_or_re_sending_a_revoked_invitation_is_refused_with_a_message(
    organiser, event
):
    invitation = _invite(organiser, event)
    client = client_for(organiser)
    url = reverse(
        "events:orga_team_invitation_revoke", kwargs={"event": event.slug, "pk": invitation.pk}
    )
    client.post(url)

    again = client.post(url, follow=True).content.decode()
    resend = _resend(client, invitation).content.decode()

    assert "This invitation was revoked already." in again
    assert "This invitation was revoked. Invite them again instead." in resend
    assert OutgoingEmail.objects.count() == 1
    assert _actions(event) == ["events.team_invited", "events.team_invitation_revoked"]
    # A revoked invitation no longer blocks a new one to the same address and role.
    assert _invite(organiser, event).pk != invitation.pk


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not an address", "role": "judge"}, "email", "Enter a valid email address."),
        ({"email": "", "role": "judge"}, "email", "This field is required."),
        ({"email": "carol@example.org", "role": "chair"}, "role", "Select a valid choice."),
        ({"email": "carol@example.org"}, "role", "This field is required."),
        (
            {"email": "Organiser@example.org", "role": "organiser"},
            "email",
            "organiser@example.org is already an organiser of this event.",
        ),
    ],
)
def test_bad_invitations_re_render_with_field_errors_and_store_nothing(
    organiser, event, data, field, message
):
    response = client_for(organiser).post(_team_url(event), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["invite_form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert TeamInvitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_second_open_invitation_of_an_address_to_one_role_is_refused(organiser, event):
    _invite(organiser, event, email="carol@example.org", role="judge")

    same = client_for(organiser).post(
        _team_url(event), {"email": "CAROL@example.org", "role": "judge"}
    )
    other_role = client_for(organiser).post(
        _team_url(event), {"email": "carol@example.org", "role": "reviewer"}
    )

    assert same.status_code == 400
    assert "carol@example.org has already been invited as judge." in " ".join(
        same.context["invite_form"].errors["email"]
    )
    assert other_role.status_code == 302
    assert TeamInvitation.objects.count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_the_database_keeps_one_open_invitation_per_address_and_role(organiser, event):
    from django.db import IntegrityError, transaction

    invitation = _invite(organiser, event)

    with pytest.raises(IntegrityError), transaction.atomic():
        TeamInvitation.objects.create(
            event=event,
            email=invitation.email,
            role=invitation.role,
            key="k",
            expires_at=invitation.expires_at,
            last_sent_at=invitation.last_sent_at,
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "chair"}, "Select a valid choice."),
        ({"person": "999999", "role": "judge"}, "Choose someone listed on the team page."),
        ({"person": "abc", "role": "judge"}, "Enter a whole number."),
        ({"role": "host"}, "Hana Host is already a host."),
    ],
)
def test_bad_role_changes_re_render_with_errors_and_store_nothing(
    organiser, host, event, data, message
):
    data = {"person": host.pk, **data}
    before = (_roles(event), AuditEntry.objects.count())

    response = client_for(organiser).post(
        reverse("events:orga_team_role_add", kwargs={"event": event.slug}), data
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert (_roles(event), AuditEntry.objects.count()) == before


def test_roles_cannot_be_given_to_someone_outside_the_team(organiser, event, outsider):
    """Giving a role needs an invitation the person accepts, unless they are on the team."""
    response = client_for(organiser).post(
        reverse("events:orga_team_role_add", kwargs={"event": event.slug}),
        {"person": outsider.pk, "role": "organiser"},
    )

    assert response.status_code == 400
    assert not EventRole.objects.filter(user=outsider).exists()


# --- Changing and removing roles -------------------------------------------------------


def test_giving_and_taking_away_roles_writes_one_audit_row_each(organiser, host, event):
    client = client_for(organiser)
    add = reverse("events:orga_team_role_add", kwargs={"event": event.slug})
    remove = reverse("events:orga_team_role_remove", kwargs={"event": event.slug})

    given = client.post(add, {"person": host.pk, "role": "organiser"}, follow=True)
    client.post(remove, {"person": host.pk, "role": "organiser"})

    assert "Hana Host is now an organiser of this event." in given.content.decode()
    assert _roles(event) == {("organiser@example.org", "organiser"), ("host@example.org", "host")}
    entries = AuditEntry.objects.filter(event_id=event.pk).order_by("id")
    assert [(e.actor_name, e.action, e.object_repr, e.data) for e in entries] == [
        (
            "Olu Organiser",
            "events.role_added",
            "Hana Host – Organiser of The Big Conversation",
            {"role": "Organiser"},
        ),
        (
            "Olu Organiser",
            "events.role_removed",
            "Hana Host – Organiser of The Big Conversation",
            {"role": "Organiser"},
        ),
    ]


def test_taking_away_the_host_role_keeps_the_sessions_host_rows(organiser, host, event, session):
    response = client_for(organiser).post(
        reverse("events:orga_team_role_remove", kwargs={"event": event.slug}),
        {"person": host.pk, "role": "host"},
        follow=True,
    )
    html = response.content.decode()

    assert ("host@example.org", "host") not in _roles(event)
    assert Host.objects.filter(session=session, user=host).exists()
    assert "They are still listed on 1 session: remove them on each session" in html
    # Still on the team page, by the session they host, with no event role.
    [member] = [m for m in response.context["team"].members if m.user == host]
    assert (member.roles, [h.session for h in member.hosting]) == ([], [session])


def test_the_last_organiser_cannot_remove_their_own_role(organiser, event):
    response = client_for(organiser).post(
        reverse("events:orga_team_role_remove", kwargs={"event": event.slug}),
        {"person": organiser.pk, "role": "organiser"},
    )

    assert response.status_code == 400
    assert "Olu Organiser is the only organiser of this event." in response.content.decode()
    assert _roles(event) == {("organiser@example.org", "organiser")}
    assert AuditEntry.objects.count() == 0


def test_an_organiser_removes_another_then_cannot_remove_the_last(organiser, event):
    second = UserFactory(email="second@example.org", name="Sid Second")
    EventRole.objects.create(event=event, user=second, role=EventRole.Role.ORGANISER)
    remove = reverse("events:orga_team_role_remove", kwargs={"event": event.slug})

    first = client_for(second).post(remove, {"person": organiser.pk, "role": "organiser"})
    last = client_for(second).post(remove, {"person": second.pk, "role": "organiser"})

    assert first.status_code == 302
    assert last.status_code == 400
    assert _roles(event) == {("second@example.org", "organiser")}


def test_an_organiser_who_gives_up_the_role_leaves_for_the_events_list(organiser, event):
    second = UserFactory(email="second@example.org")
    EventRole.objects.create(event=event, user=second, role=EventRole.Role.ORGANISER)
    client = client_for(organiser)

    response = client.post(
        reverse("events:orga_team_role_remove", kwargs={"event": event.slug}),
        {"person": organiser.pk, "role": "organiser"},
    )

    assert response["Location"] == reverse("events:home")
    assert client.get(_team_url(event)).status_code == 403


def test_the_organiser_console_needs_no_staff_status(organiser, event):
    """Organisers are ordinary accounts: nothing here reads or grants is_staff."""
    client = client_for(organiser)
    client.post(_team_url(event), {"email": "carol@example.org", "role": "organiser"})
    carol = UserFactory(email="carol@example.org")
    client_for(carol).post(TeamInvitation.objects.get().get_absolute_url())

    assert client_for(carol).get(_team_url(event)).status_code == 200
    organiser.refresh_from_db()
    carol.refresh_from_db()
    assert (organiser.is_staff, carol.is_staff, carol.is_superuser) == (False, False, False)
    assert client_for(carol).get("/admin/").status_code == 302  # admin's sign-in, not admin


def test_django_admin_is_for_superusers_only(organiser, superuser):
    """Staff status alone (with or without model permissions) no longer opens admin."""
    from django.contrib.auth.models import Permission

    organiser.is_staff = True
    organiser.save()
    organiser.user_permissions.add(Permission.objects.get(codename="view_event"))

    staff = client_for(organiser).get("/admin/events/event/")
    admin = client_for(superuser).get("/admin/events/event/")

    assert staff.status_code == 302
    assert staff["Location"].startswith("/admin/login/")
    assert admin.status_code == 200


# --- Download my data, delete my account -----------------------------------------------


def test_a_persons_invitations_are_in_their_data_and_go_with_their_account(organiser, event, carol):
    from convene.accounts import selectors as account_selectors
    from convene.accounts import services as account_services

    accepted = _invite(organiser, event, role="judge")
    services.team_invitation_accept(invitation=accepted, user=carol)
    _invite(organiser, event, role="reviewer")  # still open
    _invite(organiser, event, email="dan@example.org")  # someone else's
    sent_by_carol = _invite(carol, event, email="erin@example.org", role="host")

    exported = account_selectors.user_data_export(user=carol)["team_invitations"]
    account_services.user_erase(user=carol)

    assert [(i["email"], i["role"], bool(i["accepted_at"])) for i in exported] == [
        ("carol@example.org", "judge", True),
        ("carol@example.org", "reviewer", False),
    ]
    assert sorted(TeamInvitation.objects.values_list("email", flat=True)) == [
        "dan@example.org",
        "erin@example.org",
    ]
    sent_by_carol.refresh_from_db()
    assert sent_by_carol.invited_by is None
