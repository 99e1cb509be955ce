"""Every people page: one h1, a title, NHS.UK form markup, nothing inline (CSP)."""

import re

import pytest
from django.urls import reverse

from tests.accounts.conftest import h1_texts, page_title, verify_email
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)

ANONYMOUS_PAGES = {
    "account_login": "Sign in",
    "account_signup": "Create an account",
    "account_reset_password": "Reset your password",
    "account_reset_password_done": "Check your email",
    "account_email_verification_sent": "Check your email",
    "account_reset_password_from_key_done": "Password changed",
    "account_inactive": "Account Inactive",
}
SIGNED_IN_PAGES = {
    "account_logout": "Sign out",
    "account_email": "Email addresses",
    "account_change_password": "Change your password",
    "account_reauthenticate": "Confirm Access",
    "accounts:profile": "Your profile",
    "accounts:delete": "Delete my account",
}


def assert_page_is_well_formed(response, heading: str) -> None:
    assert response.status_code == 200
    assert h1_texts(response) == [heading]
    assert page_title(response) == f"{heading} – Convene"
    html = response.content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert INLINE_SCRIPT.findall(html) == []
    assert re.findall(r"<[^>]+\son[a-z]+=", html) == []
    # Django's own form markup never leaks through.
    for default_markup in ['class="helptext"', 'class="errorlist"', "<p><label"]:
        assert default_markup not in html
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'type="hidden"' not in tag:
            assert re.search(r'class="nhsuk-(input|checkboxes__input|radios__input)\b', tag), tag
            assert "placeholder=" not in tag, tag
    for tag in re.findall(r"<button\b[^>]*>", html):
        assert re.search(r'class="nhsuk-(button|header__account-button)\b', tag), tag


@pytest.mark.parametrize(("url_name", "heading"), ANONYMOUS_PAGES.items())
def test_sign_in_pages_are_nhs_pages_with_one_heading(client, url_name, heading):
    response = client.get(reverse(url_name))

    assert_page_is_well_formed(response, heading)


@pytest.mark.parametrize(("url_name", "heading"), SIGNED_IN_PAGES.items())
def test_account_pages_are_nhs_pages_with_one_heading(attendee, url_name, heading):
    verify_email(attendee)

    response = client_for(attendee).get(reverse(url_name))

    assert_page_is_well_formed(response, heading)


def test_account_pages_reached_from_the_profile_link_back_to_it(attendee):
    verify_email(attendee)

    response = client_for(attendee).get(reverse("account_change_password"))

    assert (
        '<a class="nhsuk-back-link" href="/profile/">Back to your profile</a>'
        in response.content.decode()
    )


def test_email_addresses_page_lists_each_address_as_a_radio_with_its_state(attendee):
    verify_email(attendee)

    response = client_for(attendee).get(reverse("account_email"))

    html = " ".join(response.content.decode().split())
    assert (
        '<input class="nhsuk-radios__input" id="email_radio_0" name="email" type="radio"'
        ' value="attendee@example.org" checked>'
    ) in html
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Confirmed</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Primary</strong>' in html
