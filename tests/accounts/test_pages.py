"""Every people page: one h1, a title, NHS.UK form markup, nothing inline (CSP)."""

import re

import pytest
from allauth.account.views import EmailView
from django.template import Context, Template
from django.template.base import Origin
from django.urls import reverse
from pytest_django.asserts import assertHTMLEqual

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


def test_change_email_page_is_an_nhs_page_when_one_address_per_person(
    settings, monkeypatch, attendee
):
    settings.ACCOUNT_CHANGE_EMAIL = True
    # allauth picks this template when its views module is imported; do what
    # that import would have done with the setting on.
    monkeypatch.setattr(EmailView, "template_name", "account/email_change.html")
    verify_email(attendee)

    response = client_for(attendee).get(reverse("account_email"))

    assert_page_is_well_formed(response, "Change your email address")
    assert "<strong>attendee@example.org</strong>" in response.content.decode()


def render_element(source: str, **context) -> str:
    # allauth's {% element %} needs the template's name (a page's, normally).
    origin = Origin(name="test.html", template_name="test.html")
    html = Template("{% load allauth %}" + source, origin=origin).render(Context(context))
    return " ".join(html.split())


@pytest.mark.parametrize(
    ("tags", "css_class"),
    [
        ("prominent,login", "nhsuk-button"),
        ("danger,delete", "nhsuk-button nhsuk-button--warning"),
        ("secondary", "nhsuk-button nhsuk-button--secondary"),
        ("link,cancel", "nhsuk-button nhsuk-button--secondary"),
        ("minor,secondary", "nhsuk-button nhsuk-button--secondary nhsuk-button--small"),
    ],
)
def test_allauth_buttons_are_nhs_buttons(tags, css_class):
    html = render_element(
        '{% element button type="submit" name="action" tags=tags %}Go{% endelement %}', tags=tags
    )

    assert html == (
        f'<button class="{css_class}" data-module="nhsuk-button" type="submit" name="action">'
        " Go </button>"
    )


def test_allauth_link_buttons_are_nhs_link_buttons():
    html = render_element('{% element button href="/next/" %}Next{% endelement %}')

    assert html == (
        '<a class="nhsuk-button" data-module="nhsuk-button" href="/next/" role="button"'
        ' draggable="false"> Next </a>'
    )


def test_allauth_alerts_panels_and_badges_use_nhs_components():
    alert = render_element(
        "{% element alert %}{% slot message %}Saved{% endslot %}{% endelement %}"
    )
    panel = render_element(
        "{% element panel %}{% slot title %}Passkeys{% endslot %}"
        "{% slot body %}<p>None yet</p>{% endslot %}{% endelement %}"
    )
    badge = render_element('{% element badge tags="success" %}Verified{% endelement %}')

    assert alert == (
        '<div class="nhsuk-inset-text"> <span class="nhsuk-u-visually-hidden">Information: </span>'
        " <p>Saved</p> </div>"
    )
    assert panel == (
        '<div class="nhsuk-card"> <div class="nhsuk-card__content">'
        ' <h2 class="nhsuk-card__heading"> Passkeys </h2> <p>None yet</p> </div> </div>'
    )
    assert badge == '<strong class="nhsuk-tag nhsuk-tag--green"> Verified </strong>'


def test_allauth_hand_written_field_with_errors_is_an_nhs_form_group():
    html = render_element(
        '{% element field id="id_code" name="code" type="text" errors=errors %}'
        "{% slot label %}Code{% endslot %}{% slot help_text %}From the email{% endslot %}"
        "{% endelement %}",
        errors=["Incorrect code."],
    )

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <label class="nhsuk-label" for="id_code">Code</label>
          <div class="nhsuk-hint" id="id_code_helptext">From the email</div>
          <span class="nhsuk-error-message" id="id_code_error">
            <span class="nhsuk-u-visually-hidden">Error: </span>Incorrect code.
          </span>
          <input class="nhsuk-input nhsuk-input--error" type="text" id="id_code" name="code"
            aria-describedby="id_code_helptext id_code_error" aria-invalid="true">
        </div>
        """,
    )


def test_allauth_hand_written_radio_is_an_nhs_radio_item():
    html = render_element(
        '{% element field type="radio" id="r0" name="email" value="a@example.org" checked=True %}'
        "{% slot label %}a@example.org{% endslot %}{% endelement %}"
    )

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-radios__item">
          <input class="nhsuk-radios__input" type="radio" id="r0" name="email"
            value="a@example.org" checked>
          <label class="nhsuk-label nhsuk-radios__label" for="r0">a@example.org</label>
        </div>
        """,
    )
