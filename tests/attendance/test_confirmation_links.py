"""The emailed registration link: who owns the address, and how often it signs in
(docs/decisions/0010). Email goes to a real SMTP server; the links are the ones
in the messages people get."""

import json
import time
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import signing
from django.test import Client
from django.urls import reverse

from convene.accounts.models import User
from convene.attendance import tokens
from convene.attendance.models import Registration
from tests.personas import LOGIN, outcome

VICTIM = "vic@example.org"
STRANGERS_PASSWORD = "a stranger's own passphrase"
HEALTH = "I have epilepsy: no flashing slides, please."


def _register_by_email(client, event, **details):
    return client.post(
        reverse("attendance:register", kwargs={"event": event.slug}),
        {"name": "Vic Tim", "email": VICTIM, **details},
    )


def _confirm_links(mail) -> list[str]:
    return [
        urlsplit(url).path
        for message in mail.messages
        if message.subject.startswith("Confirm your registration")
        for url in message.links
        if "/register/confirm/" in url
    ]


def _signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def _my_data(client):
    return client.get(reverse("accounts:download_data"))


def test_a_stranger_who_signed_up_with_my_address_loses_the_account_when_i_confirm(drop_in, mail):
    """Pre-account hijack: the stranger signs up with Vic's address (never
    verified) and holds a session; Vic registers by email and confirms. Vic now
    owns the account: the stranger's password and session are gone, and so is
    what the stranger put in the profile."""
    stranger = Client()
    stranger.post(
        reverse("account_signup"),
        {"email": VICTIM, "password1": STRANGERS_PASSWORD, "password2": STRANGERS_PASSWORD},
    )
    account = User.objects.get(email=VICTIM)
    # Whatever session the stranger may hold on the account (mandatory
    # verification keeps them from signing in; this stands for any way round it).
    stranger_session = Client()
    stranger_session.force_login(account)
    stranger_session.post(
        reverse("accounts:profile"), {"name": "Mallory", "accessibility_needs": "Mine"}
    )
    assert User.objects.values_list("name", flat=True).get() == "Mallory"
    victim = Client()
    _register_by_email(victim, drop_in.event, access_needs=HEALTH)
    [link] = _confirm_links(mail)

    confirmed = victim.post(link)

    account.refresh_from_db()
    registration = Registration.objects.get()
    assert confirmed["Location"] == reverse("attendance:agenda")
    assert _signed_in_user_id(victim) == account.pk
    assert (registration.user, registration.state) == (account, Registration.State.CONFIRMED)
    assert (account.name, account.accessibility_needs) == ("Vic Tim", "")
    assert not account.has_usable_password()
    assert list(EmailAddress.objects.values_list("user", "email", "verified", "primary")) == [
        (account.pk, VICTIM, True, True)
    ]
    assert (
        json.loads(_my_data(victim).content)["attendance"]["registrations"][0]["access_needs"]
        == HEALTH
    )

    refused = stranger.post(
        reverse("account_login"), {"login": VICTIM, "password": STRANGERS_PASSWORD}
    )
    old_session = _my_data(stranger_session)

    assert refused.status_code == 200
    assert _signed_in_user_id(stranger) is None
    assert outcome(old_session) == LOGIN
    assert HEALTH not in old_session.content.decode()
    assert _signed_in_user_id(stranger_session) is None


def test_a_stranger_with_an_unverified_address_cannot_read_registrations_made_with_it(
    drop_in, mail
):
    Client().post(
        reverse("account_signup"),
        {"email": VICTIM, "password1": STRANGERS_PASSWORD, "password2": STRANGERS_PASSWORD},
    )
    stranger_session = Client()
    stranger_session.force_login(User.objects.get(email=VICTIM))
    _register_by_email(Client(), drop_in.event, access_needs=HEALTH)

    data = json.loads(_my_data(stranger_session).content)

    assert data["attendance"]["registrations"] == []


def test_a_second_browser_with_the_same_link_is_told_it_is_confirmed_and_not_signed_in(
    drop_in, mail
):
    first, second = Client(), Client()
    _register_by_email(first, drop_in.event)
    [link] = _confirm_links(mail)
    first.post(link)

    opened = second.get(link)
    posted = second.post(link)

    for response in (opened, posted):
        assert response.status_code == 200
        assert "Your registration is already confirmed" in response.content.decode()
        assert "Sign in to see it in your agenda" in response.content.decode()
    assert _signed_in_user_id(second) is None
    assert _signed_in_user_id(first) == User.objects.get(email=VICTIM).pk
    assert [m.subject for m in mail.messages].count(
        "You are registered for Spread Conversation"
    ) == 1


def test_an_older_link_is_refused_once_a_newer_one_is_sent_and_the_newest_works_once(drop_in, mail):
    browser = Client()
    _register_by_email(browser, drop_in.event)
    _register_by_email(browser, drop_in.event)
    older, newer = _confirm_links(mail)

    refused = browser.post(older)

    assert refused.status_code == 400
    assert "We have sent you a newer link since this one" in refused.content.decode()
    assert Registration.objects.get().state == Registration.State.UNCONFIRMED
    assert _signed_in_user_id(browser) is None

    confirmed = browser.post(newer)

    assert confirmed["Location"] == reverse("attendance:agenda")
    assert Registration.objects.get().state == Registration.State.CONFIRMED
    assert _signed_in_user_id(browser) == User.objects.get(email=VICTIM).pk

    again = Client().post(newer)

    assert "Your registration is already confirmed" in again.content.decode()


class _SignedTwoHoursAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 2 * 60 * 60)


def test_a_link_older_than_an_hour_confirms_but_does_not_sign_in(drop_in, mail):
    browser = Client()
    _register_by_email(browser, drop_in.event)
    registration = Registration.objects.get()
    # The link as an email sent two hours ago carries it.
    token = _SignedTwoHoursAgo(salt=tokens.CONFIRM_SALT).sign_object(
        {"r": registration.pk, "n": registration.confirmation_requests}
    )

    response = browser.post(reverse("attendance:confirm", kwargs={"token": token}))

    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED
    assert _signed_in_user_id(browser) is None
    assert outcome(response) == LOGIN
