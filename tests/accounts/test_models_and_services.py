"""The user model's small helpers and the profile service's guard rails."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convene.accounts.models import User
from convene.accounts.services import user_update_profile

pytestmark = pytest.mark.django_db


def test_create_user_lowercases_the_email_and_needs_one():
    user = User.objects.create_user("Ann.Other@Example.ORG", "a long passphrase")

    assert user.email == "ann.other@example.org"
    assert (user.is_staff, user.is_superuser, user.check_password("a long passphrase")) == (
        False,
        False,
        True,
    )
    with pytest.raises(ValueError, match=r"An email address is required\."):
        User.objects.create_user("", "x")


def test_create_superuser_is_staff_and_superuser():
    user = User.objects.create_superuser("admin@example.org", "a long passphrase")

    assert (user.is_staff, user.is_superuser) == (True, True)


def test_user_names_fall_back_to_the_email_address(attendee):
    nameless = User.objects.create_user("nameless@example.org")

    assert (str(attendee), attendee.get_full_name(), attendee.get_short_name()) == (
        "Ade Attendee",
        "Ade Attendee",
        "Ade",
    )
    assert (str(nameless), nameless.get_full_name(), nameless.get_short_name()) == (
        "nameless@example.org",
        "",
        "nameless@example.org",
    )
    assert attendee.get_absolute_url() == reverse("accounts:profile")


def test_user_update_profile_refuses_fields_that_are_not_profile_fields(attendee):
    with pytest.raises(ValueError, match="Not profile fields: email, is_staff"):
        user_update_profile(user=attendee, email="x@example.org", is_staff=True, name="X")

    attendee.refresh_from_db()
    assert (attendee.email, attendee.is_staff, attendee.name) == (
        "attendee@example.org",
        False,
        "Ade Attendee",
    )


def test_user_update_profile_refuses_bad_values_and_saves_nothing(attendee):
    with pytest.raises(ValidationError) as refused:
        user_update_profile(user=attendee, pronouns="p" * 41, organisation="NHS England")

    assert list(refused.value.message_dict) == ["pronouns"]
    attendee.refresh_from_db()
    assert (attendee.pronouns, attendee.organisation) == ("", "")
