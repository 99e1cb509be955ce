"""Emails anyone can ask us to send to an address they type are limited per
address, so our sender cannot be used to flood someone's inbox (decision 0011)."""

import pytest
from django.test import Client
from django.urls import reverse

from convene.attendance.services import VERIFY_EMAILS_PER_HOUR
from convene.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def _ask(client, event, email):
    return client.post(
        reverse("attendance:register", kwargs={"event": event.slug}),
        {"name": "Vic Victim", "email": email},
    )


def _deliveries(email):
    return list(
        OutgoingEmail.objects.filter(recipient=email, kind="verify")
        .order_by("id")
        .values_list("purpose", flat=True)
    )


def test_registration_emails_stop_after_three_an_hour_to_one_address(drop_in, mail):
    event = drop_in.event
    client = Client()
    for _ in range(VERIFY_EMAILS_PER_HOUR):
        _ask(client, event, "victim@example.org")

    response = _ask(client, event, "Victim@Example.org")

    # The page is the one everybody sees: it does not say whether an email went.
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:register_sent", kwargs={"event": event.slug})
    assert len(_deliveries("victim@example.org")) == VERIFY_EMAILS_PER_HOUR == 3
    assert len([m for m in mail.messages if m.to == ["victim@example.org"]]) == 3
    _ask(client, event, "someone.else@example.org")
    assert len(_deliveries("someone.else@example.org")) == 1


def test_the_last_link_sent_still_confirms_after_the_limit(drop_in, mail):
    event = drop_in.event
    client = Client()
    for _ in range(VERIFY_EMAILS_PER_HOUR + 2):
        _ask(client, event, "victim@example.org")

    last = mail.messages[-1]
    [link] = [url for url in last.links if "/register/confirm/" in url]
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))

    assert page.status_code == 200
    assert "newer link" not in page.content.decode()


def test_password_reset_emails_stop_after_three_an_hour_to_one_address(attendee, outsider, mail):
    client = Client()
    for _ in range(3):
        assert (
            client.post(reverse("account_reset_password"), {"email": attendee.email}).status_code
            == 302
        )

    refused = client.post(reverse("account_reset_password"), {"email": attendee.email})
    other = client.post(reverse("account_reset_password"), {"email": outsider.email})

    assert refused.status_code == 429
    assert other.status_code == 302
    assert [m.to for m in mail.messages] == [[attendee.email]] * 3 + [[outsider.email]]
