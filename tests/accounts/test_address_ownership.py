"""Which account an address belongs to once its mailbox owner proves it
(accounts.services.email_address_prove; the end-to-end attack is in
tests/attendance/test_confirmation_links.py)."""

import pytest
from allauth.account.models import EmailAddress

from convene.accounts.models import User
from convene.accounts.services import email_address_prove
from tests.accounts.conftest import PASSWORD, verify_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _addresses():
    return list(
        EmailAddress.objects.order_by("email").values_list("user__email", "email", "verified")
    )


def test_an_account_with_the_address_verified_is_kept_as_it_is(attendee):
    verify_email(attendee)

    user = email_address_prove(email="Attendee@Example.org", name="Someone Else")

    user.refresh_from_db()
    assert user == attendee
    assert (user.name, user.check_password(PASSWORD)) == ("Ade Attendee", True)


def test_an_account_an_operator_made_is_kept_and_its_address_verified():
    staff = UserFactory(email="staff@example.org", name="Sam Staff", is_staff=True)

    user = email_address_prove(email="staff@example.org", name="Someone Else")

    user.refresh_from_db()
    assert user == staff
    assert (user.name, user.check_password(PASSWORD)) == ("Sam Staff", True)
    assert _addresses() == [("staff@example.org", "staff@example.org", True)]


def test_an_unconfirmed_sign_up_is_taken_over_by_the_mailbox_owner():
    stranger = UserFactory(email="vic@example.org", name="Mallory", pronouns="they/them")
    EmailAddress.objects.create(user=stranger, email="vic@example.org", primary=True)
    EmailAddress.objects.create(user=stranger, email="mallory@example.org")

    user = email_address_prove(email="vic@example.org", name="Vic Tim")

    user.refresh_from_db()
    assert user == stranger
    assert (user.name, user.pronouns, user.has_usable_password()) == ("Vic Tim", "", False)
    assert _addresses() == [("vic@example.org", "vic@example.org", True)]


def test_an_account_that_claimed_the_address_beside_its_own_gives_it_up():
    other = UserFactory(email="olive@example.org")
    verify_email(other)
    EmailAddress.objects.create(user=other, email="vic@example.org")

    user = email_address_prove(email="vic@example.org", name="Vic Tim")

    other.refresh_from_db()
    assert user != other
    assert (user.email, user.name, user.has_usable_password()) == (
        "vic@example.org",
        "Vic Tim",
        False,
    )
    assert other.check_password(PASSWORD)
    assert _addresses() == [
        ("olive@example.org", "olive@example.org", True),
        ("vic@example.org", "vic@example.org", True),
    ]


def test_an_account_whose_email_was_never_verified_but_has_its_own_verified_one_keeps_that():
    other = UserFactory(email="vic@example.org")
    EmailAddress.objects.create(user=other, email="vic@example.org", primary=True)
    EmailAddress.objects.create(user=other, email="olive@example.org", verified=True)

    user = email_address_prove(email="vic@example.org", name="Vic Tim")

    other.refresh_from_db()
    assert user != other
    assert (other.email, other.check_password(PASSWORD)) == ("olive@example.org", True)
    assert EmailAddress.objects.get(user=other).primary is True
    assert User.objects.get(email="vic@example.org") == user
