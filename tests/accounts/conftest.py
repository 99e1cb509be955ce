"""Helpers for the people tests: the real SMTP server, verified sign-in, page checks."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def _no_rate_limits_carried_over():
    """allauth counts sign-in attempts and emails sent in the cache; each test
    starts (and leaves) it empty, so tests cannot throttle one another."""
    cache.clear()
    yield
    cache.clear()


def verify_email(user) -> EmailAddress:
    """Mandatory email verification: only confirmed addresses may sign in."""
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


@pytest.fixture
def verified_attendee(attendee):
    verify_email(attendee)
    return attendee


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)
    assert match, "the page has no <title>"
    return " ".join(match.group(1).split())


def h1_texts(response) -> list[str]:
    html = response.content.decode()
    return [
        " ".join(re.sub(r"<[^>]+>", "", h1).split())
        for h1 in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.DOTALL)
    ]


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None
