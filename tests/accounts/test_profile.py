"""A person's own profile: who may see it, saving, and bad input."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML, assertRedirects

from tests.accounts.conftest import h1_texts, page_title
from tests.personas import client_for, sign_in_url

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Ade Attendee-Smith",
    "pronouns": "they/them",
    "organisation": "Leeds Teaching Hospitals NHS Trust",
    "job_role": "Improvement lead",
    "lived_experience_partner": "on",
    "accessibility_needs": "Live captions, please.",
}


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "accounts:profile"),
        ("post", "accounts:profile"),
        ("get", "accounts:download_data"),
        ("get", "accounts:delete"),
        ("post", "accounts:delete"),
    ],
)
def test_people_pages_send_anonymous_visitors_to_sign_in(client, attendee, method, url_name):
    url = reverse(url_name)

    if method == "post":
        response = client.post(url, {"confirm": "delete my account", **PROFILE})
    else:
        response = client.get(url)

    assertRedirects(response, sign_in_url(url))
    attendee.refresh_from_db()
    assert attendee.is_active
    assert attendee.name == "Ade Attendee"


def test_profile_shows_the_signed_in_persons_own_details_only(attendee, outsider):
    response = client_for(attendee).get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert response.context["form"].instance.pk == attendee.pk
    assert h1_texts(response) == ["Your profile"]
    assert page_title(response) == "Your profile – Convene"
    html = response.content.decode()
    assert 'value="Ade Attendee"' in html
    assert "attendee@example.org" in html
    assert "outsider@example.org" not in html
    assert "Oz Outsider" not in html
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_profile_links_to_password_email_download_and_delete(attendee):
    response = client_for(attendee).get(reverse("accounts:profile"))

    html = response.content.decode()
    for url_name in [
        "account_change_password",
        "account_email",
        "accounts:download_data",
        "accounts:delete",
    ]:
        assert f'href="{reverse(url_name)}"' in html, url_name


def test_profile_says_accessibility_needs_are_private(attendee):
    response = client_for(attendee).get(reverse("accounts:profile"))

    assertInHTML(
        '<div class="nhsuk-hint" id="id_accessibility_needs_helptext">'
        "Private: only organisers of events you register for can see this, so they can "
        "make the event work for you. For example captions, breaks, or a sign language "
        "interpreter.</div>",
        response.content.decode(),
    )


def test_profile_save_changes_the_signed_in_person_and_nobody_else(attendee, outsider):
    client = client_for(attendee)

    # Fields that are not on the form are ignored, whatever is posted.
    response = client.post(
        reverse("accounts:profile"),
        {**PROFILE, "email": "taken-over@example.org", "is_staff": "on"},
        follow=True,
    )

    assertRedirects(response, reverse("accounts:profile"))
    assertInHTML(
        '<div class="nhsuk-inset-text" role="status">'
        '<span class="nhsuk-u-visually-hidden">Information: </span>'
        "<p>Your profile has been saved.</p></div>",
        response.content.decode(),
    )
    attendee.refresh_from_db()
    assert (
        attendee.name,
        attendee.pronouns,
        attendee.organisation,
        attendee.job_role,
        attendee.lived_experience_partner,
        attendee.accessibility_needs,
        attendee.email,
        attendee.is_staff,
    ) == (
        "Ade Attendee-Smith",
        "they/them",
        "Leeds Teaching Hospitals NHS Trust",
        "Improvement lead",
        True,
        "Live captions, please.",
        "attendee@example.org",
        False,
    )
    outsider.refresh_from_db()
    assert (outsider.name, outsider.organisation) == ("Oz Outsider", "")


def test_profile_save_with_every_field_empty_clears_them(attendee):
    attendee.organisation = "NHS England"
    attendee.lived_experience_partner = True
    attendee.save()

    response = client_for(attendee).post(reverse("accounts:profile"), {})

    assertRedirects(response, reverse("accounts:profile"))
    attendee.refresh_from_db()
    assert (attendee.name, attendee.organisation, attendee.lived_experience_partner) == (
        "",
        "",
        False,
    )


def test_profile_save_with_over_long_values_shows_errors_and_keeps_everything(attendee):
    client = client_for(attendee)
    data = {**PROFILE, "name": "N" * 151, "pronouns": "p" * 41}

    response = client.post(reverse("accounts:profile"), data)

    assert response.status_code == 200
    assert page_title(response) == "Error: Your profile – Convene"
    html = response.content.decode()
    assertInHTML(
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        '<li><a href="#id_name">Full name must be 150 characters or fewer</a></li>'
        '<li><a href="#id_pronouns">Pronouns must be 40 characters or fewer</a></li>'
        "</ul>",
        html,
    )
    # Once, at the top of the page, above the heading.
    assert html.count("nhsuk-error-summary__list") == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")
    assertInHTML(
        '<span class="nhsuk-error-message" id="id_name_error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>'
        "Full name must be 150 characters or fewer</span>",
        html,
    )
    assert html.count("nhsuk-form-group--error") == 2
    # Nothing typed is lost, nothing is saved, and the header still shows the saved name.
    assert f'value="{"N" * 151}"' in html
    assert 'value="Leeds Teaching Hospitals NHS Trust"' in html
    assert "Live captions, please.</textarea>" in html
    assertInHTML(
        '<input type="checkbox" name="lived_experience_partner" class="nhsuk-checkboxes__input"'
        ' aria-describedby="id_lived_experience_partner_helptext"'
        ' id="id_lived_experience_partner" checked>',
        html,
    )
    assert '<a class="nhsuk-header__account-link" href="/profile/">Ade Attendee</a>' in html
    attendee.refresh_from_db()
    assert (attendee.name, attendee.organisation) == ("Ade Attendee", "")
