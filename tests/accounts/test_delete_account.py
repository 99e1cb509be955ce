"""Delete my account: personal data erased, contributions kept without a name."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML, assertRedirects

from convene.accounts.models import User
from convene.events.models import EventRole, Host
from tests.accounts.conftest import PASSWORD, h1_texts, page_title, signed_in_user_id, verify_email
from tests.personas import client_for, sign_in_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def hana(host, session):
    """The host persona with a full profile, a confirmed email and a bio on her session."""
    host.pronouns = "she/her"
    host.organisation = "NHS England"
    host.job_role = "Improvement lead"
    host.lived_experience_partner = True
    host.accessibility_needs = "Captions"
    host.save()
    verify_email(host)
    Host.objects.filter(user=host).update(
        bio="I run the spread team.", social_handle="@hana", organisation="NHS Horizons"
    )
    return host


def signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_delete_page_explains_what_is_erased_and_what_is_kept(hana):
    response = client_for(hana).get(reverse("accounts:delete"))

    assert response.status_code == 200
    assert h1_texts(response) == ["Delete my account"]
    assert page_title(response) == "Delete my account – Convene"
    html = response.content.decode()
    assert '<div class="nhsuk-card nhsuk-card--warning">' in html
    assert "we erase:" in html
    assert "We keep, without your name:" in html
    assert '"Former host"' in html
    assertInHTML(
        '<button class="nhsuk-button nhsuk-button--warning" data-module="nhsuk-button"'
        ' type="submit">Delete my account</button>',
        html,
    )


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", 'Type "delete my account" to confirm.'),
        ("delete", 'Type "delete my account" exactly to confirm.'),
        ("keep my account", 'Type "delete my account" exactly to confirm.'),
    ],
)
def test_delete_with_the_wrong_confirmation_changes_nothing(hana, event, typed, error):
    client = signed_in(hana)

    response = client.post(reverse("accounts:delete"), {"confirm": typed})

    assert response.status_code == 200
    assert page_title(response) == "Error: Delete my account – Convene"
    html = response.content.decode()
    assertInHTML(
        f'<ul class="nhsuk-list nhsuk-error-summary__list"><li><a href="#id_confirm">{error}</a>'
        "</li></ul>",
        html,
    )
    assertInHTML(
        '<span class="nhsuk-error-message" id="id_confirm_error">'
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{error}</span>',
        html,
    )
    if typed:
        assert f'value="{typed}"' in html
    hana.refresh_from_db()
    assert (hana.email, hana.name, hana.is_active, hana.erased_at) == (
        "host@example.org",
        "Hana Host",
        True,
        None,
    )
    assert hana.check_password(PASSWORD)
    assert list(EventRole.objects.filter(user=hana).values_list("role", flat=True)) == ["host"]
    assert Host.objects.get().user == hana
    assert EmailAddress.objects.filter(user=hana).count() == 1
    assert signed_in_user_id(client) == hana.pk


def test_delete_erases_personal_data_signs_out_and_keeps_hosting_anonymised(
    hana, organiser, event, session
):
    client = signed_in(hana)
    elsewhere = signed_in(hana)  # the same person signed in on another device

    response = client.post(
        reverse("accounts:delete"), {"confirm": "  Delete my   ACCOUNT "}, follow=True
    )

    assertRedirects(response, reverse("events:home"))
    assertInHTML(
        "<p>Your account and personal details have been deleted.</p>", response.content.decode()
    )
    assert signed_in_user_id(client) is None
    hana.refresh_from_db()
    assert hana.email.startswith("erased-")
    assert hana.email.endswith("@invalid")
    assert (
        hana.name,
        hana.pronouns,
        hana.organisation,
        hana.job_role,
        hana.lived_experience_partner,
        hana.accessibility_needs,
        hana.last_login,
        hana.is_active,
        hana.is_staff,
        hana.has_usable_password(),
    ) == ("", "", "", "", False, "", None, False, False, False)
    assert hana.erased_at is not None
    assert EmailAddress.objects.filter(user=hana).count() == 0
    assert EmailAddress.objects.filter(email="host@example.org").count() == 0
    # Roles go; the organiser's role in the same event stays.
    assert list(EventRole.objects.values_list("user__email", "role")) == [
        ("organiser@example.org", "organiser")
    ]
    # The programme stays truthful: the session still had a host, now unnamed.
    assert list(
        Host.objects.values_list("user", "guest_name", "organisation", "bio", "social_handle")
    ) == [(None, "Former host", "", "", "")]
    page = client.get(session.get_absolute_url())
    assert "Former host" in page.content.decode()
    assert "Hana Host" not in page.content.decode()
    # Signed out everywhere, and nobody can sign in as her again.
    assertRedirects(
        elsewhere.get(reverse("accounts:profile")), sign_in_url(reverse("accounts:profile"))
    )
    someone = Client()
    again = someone.post(
        reverse("account_login"), {"login": "host@example.org", "password": PASSWORD}
    )
    assert again.status_code == 200
    assert signed_in_user_id(someone) is None
    assert User.objects.filter(email="host@example.org").count() == 0


def test_delete_of_one_person_leaves_other_people_alone(hana, attendee):
    attendee.organisation = "Leeds Teaching Hospitals"
    attendee.save()

    signed_in(hana).post(reverse("accounts:delete"), {"confirm": "delete my account"})

    attendee.refresh_from_db()
    assert (attendee.email, attendee.name, attendee.organisation, attendee.is_active) == (
        "attendee@example.org",
        "Ade Attendee",
        "Leeds Teaching Hospitals",
        True,
    )
