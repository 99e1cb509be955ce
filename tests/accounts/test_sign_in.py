"""Signing up, in and out, and resetting a password: django-allauth with our pages,
email through a real SMTP server (tests/smtp.py)."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertInHTML, assertRedirects

from convene.accounts.models import User
from tests.accounts.conftest import PASSWORD, h1_texts, page_title, signed_in_user_id, verify_email

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"
# Links come from SITE_URL, not from the request's host ("testserver"): decision 0014.
CONFIRM_LINK = re.compile(r"^http://127.0.0.1:8000/accounts/confirm-email/[\w:-]+/$")


def sign_up(client, email="newcomer@example.org", password1=PASSWORD, password2=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password1, "password2": password2},
    )


def test_sign_up_sends_a_confirmation_email_whose_link_signs_the_person_in(client, smtp_mailer):
    response = sign_up(client)

    assertRedirects(response, reverse("account_email_verification_sent"))
    user = User.objects.get()
    assert user.email == "newcomer@example.org"
    assert user.check_password(PASSWORD)
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("newcomer@example.org", False, True)
    ]
    assert signed_in_user_id(client) is None
    [message] = smtp_mailer.messages
    assert message.rcpt_tos == ("newcomer@example.org",)
    assert message.to == ["newcomer@example.org"]
    assert message.message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Confirm your email address"
    [link] = message.links
    assert CONFIRM_LINK.match(link), link

    confirm_page = client.get(urlsplit(link).path)

    assert confirm_page.status_code == 200
    assert h1_texts(confirm_page) == ["Confirm your email address"]
    assertInHTML("<strong>newcomer@example.org</strong>", confirm_page.content.decode())

    confirmed = client.post(urlsplit(link).path)

    assertRedirects(confirmed, reverse("accounts:profile"))
    assert signed_in_user_id(client) == user.pk
    assert EmailAddress.objects.get().verified is True
    assert len(smtp_mailer.messages) == 1


def test_verification_sent_page_tells_the_person_to_check_their_email(client, smtp_mailer):
    response = sign_up(client)

    page = client.get(response["Location"])

    assert h1_texts(page) == ["Check your email"]
    assert page_title(page) == "Check your email – Convene"


def test_confirmation_link_that_is_not_valid_says_so_and_confirms_nothing(client, smtp_mailer):
    sign_up(client)

    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code == 200
    assert h1_texts(response) == ["This link does not work"]
    assert EmailAddress.objects.get().verified is False
    assert signed_in_user_id(client) is None


def test_sign_up_with_a_bad_email_shows_the_error_and_keeps_the_input(client, smtp_mailer):
    response = sign_up(client, email="not-an-email")

    assert response.status_code == 200
    assert page_title(response) == "Error: Create an account – Convene"
    html = response.content.decode()
    assertInHTML(
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        '<li><a href="#id_email">Enter a valid email address.</a></li></ul>',
        html,
    )
    assertInHTML(
        '<span class="nhsuk-error-message" id="id_email_error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>Enter a valid email address.</span>',
        html,
    )
    assert 'value="not-an-email"' in html
    assert User.objects.count() == 0
    assert smtp_mailer.messages == []


def test_sign_up_with_passwords_that_differ_shows_the_error_on_the_second(client, smtp_mailer):
    response = sign_up(client, password2="something else entirely")

    assert response.status_code == 200
    html = response.content.decode()
    assertInHTML(
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        '<li><a href="#id_password2">You must type the same password each time.</a></li></ul>',
        html,
    )
    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert 'value="newcomer@example.org"' in html
    assert User.objects.count() == 0
    assert smtp_mailer.messages == []


def test_sign_up_with_an_email_already_in_use_creates_nothing_and_tells_the_owner(
    client, attendee, smtp_mailer
):
    verify_email(attendee)

    response = sign_up(
        client, email="attendee@example.org", password1=NEW_PASSWORD, password2=NEW_PASSWORD
    )

    # The page is the same as for a new address, so nobody can probe who has
    # an account; the owner learns of the attempt by email.
    assertRedirects(response, reverse("account_email_verification_sent"))
    assert list(User.objects.all()) == [attendee]
    attendee.refresh_from_db()
    assert attendee.check_password(PASSWORD)
    assert signed_in_user_id(client) is None
    [message] = smtp_mailer.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "You already have an account"
    assert message.links == ["http://127.0.0.1:8000/accounts/password/reset/"]


def test_sign_in_with_a_confirmed_email_signs_in_and_goes_to_the_profile(client, attendee):
    verify_email(attendee)

    response = client.post(
        reverse("account_login"), {"login": "attendee@example.org", "password": PASSWORD}
    )

    assertRedirects(response, reverse("accounts:profile"))
    assert signed_in_user_id(client) == attendee.pk


def test_sign_in_with_a_wrong_password_is_refused_with_an_error_summary(client, attendee):
    verify_email(attendee)

    response = client.post(
        reverse("account_login"), {"login": "attendee@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert page_title(response) == "Error: Sign in – Convene"
    assertInHTML(
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        "<li>The email address and/or password you specified are not correct.</li></ul>",
        response.content.decode(),
    )


def test_sign_in_with_a_bad_email_links_the_error_to_the_field(client):
    response = client.post(reverse("account_login"), {"login": "nobody", "password": "x"})

    html = response.content.decode()
    assertInHTML(
        '<ul class="nhsuk-list nhsuk-error-summary__list">'
        '<li><a href="#id_login">Enter a valid email address.</a></li></ul>',
        html,
    )
    assert html.count('class="nhsuk-form-group nhsuk-form-group--error"') == 1
    assert 'value="nobody"' in html
    assert signed_in_user_id(client) is None


def test_sign_in_with_an_unconfirmed_email_sends_a_new_confirmation_instead(
    client, attendee, smtp_mailer
):
    EmailAddress.objects.create(user=attendee, email=attendee.email, verified=False, primary=True)

    response = client.post(
        reverse("account_login"), {"login": "attendee@example.org", "password": PASSWORD}
    )

    assertRedirects(response, reverse("account_email_verification_sent"))
    assert signed_in_user_id(client) is None
    [message] = smtp_mailer.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "Confirm your email address"


def test_sign_out_asks_first_and_signs_out_only_on_post(client, attendee):
    verify_email(attendee)
    client.post(reverse("account_login"), {"login": attendee.email, "password": PASSWORD})

    page = client.get(reverse("account_logout"))

    assert h1_texts(page) == ["Sign out"]
    assert signed_in_user_id(client) == attendee.pk

    response = client.post(reverse("account_logout"))

    assertRedirects(response, "/")
    assert signed_in_user_id(client) is None


def test_password_reset_emails_a_link_that_sets_a_new_password(client, attendee, smtp_mailer):
    verify_email(attendee)

    response = client.post(reverse("account_reset_password"), {"email": "attendee@example.org"})

    assertRedirects(response, reverse("account_reset_password_done"))
    [message] = smtp_mailer.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "Reset your password"
    [link] = message.links
    assert link.startswith("http://127.0.0.1:8000/accounts/password/reset/key/")

    # The key moves from the link into the session, then the form is shown.
    set_password_page = client.get(urlsplit(link).path, follow=True)

    assert h1_texts(set_password_page) == ["Choose a new password"]
    form_url = set_password_page.redirect_chain[-1][0]

    mismatch = client.post(form_url, {"password1": NEW_PASSWORD, "password2": "not the same"})

    assert mismatch.status_code == 200
    assertInHTML(
        '<li><a href="#id_password2">You must type the same password each time.</a></li>',
        mismatch.content.decode(),
    )
    attendee.refresh_from_db()
    assert attendee.check_password(PASSWORD)

    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assertRedirects(done, reverse("account_reset_password_from_key_done"))
    attendee.refresh_from_db()
    assert attendee.check_password(NEW_PASSWORD)
    signed_in = client.post(
        reverse("account_login"), {"login": attendee.email, "password": NEW_PASSWORD}
    )
    assertRedirects(signed_in, reverse("accounts:profile"))
    assert signed_in_user_id(client) == attendee.pk


def test_password_reset_for_an_unknown_address_looks_the_same_and_says_so_by_email(
    client, smtp_mailer
):
    response = client.post(reverse("account_reset_password"), {"email": "stranger@example.org"})

    assertRedirects(response, reverse("account_reset_password_done"))
    [message] = smtp_mailer.messages
    assert message.to == ["stranger@example.org"]
    assert message.subject == "No account with this email address"
    assert message.links == ["http://127.0.0.1:8000/accounts/signup/"]


def test_password_reset_link_that_is_not_valid_says_so(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})
    )

    assert response.status_code == 200
    assert h1_texts(response) == ["This link does not work"]


def test_sign_in_form_warns_about_staying_signed_in_on_shared_computers(client):
    html = client.get("/accounts/login/").content.decode()

    assert "Keep me signed in on this device" in html
    assert "Do not tick this on a shared computer." in html
