"""Limits on guessing passwords, the admin's sign-in, and sign-up that does not
tell who has an account (docs/decisions/0010)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from convene.accounts.models import User
from tests.accounts.conftest import PASSWORD, signed_in_user_id, verify_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HERE, ELSEWHERE = "203.0.113.7", "198.51.100.9"
TOO_MANY = "Too many failed login attempts. Try again later."


def _sign_in(client, password, login="attendee@example.org", **headers):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **headers)


def test_wrong_passwords_from_one_ip_lock_that_ip_out_but_not_the_owner_elsewhere(
    verified_attendee,
):
    guesser, owner = Client(REMOTE_ADDR=HERE), Client(REMOTE_ADDR=ELSEWHERE)
    for attempt in range(5):
        _sign_in(guesser, f"guess {attempt}")

    locked = _sign_in(guesser, PASSWORD)
    signed_in = _sign_in(owner, PASSWORD)

    assert TOO_MANY in locked.content.decode()
    assert signed_in_user_id(guesser) is None
    assert signed_in["Location"] == reverse("accounts:profile")
    assert signed_in_user_id(owner) == verified_attendee.pk


def test_a_forwarded_for_header_does_not_make_a_guesser_someone_new(verified_attendee):
    guesser = Client(REMOTE_ADDR=HERE)
    for attempt in range(5):
        _sign_in(guesser, f"guess {attempt}", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    locked = _sign_in(guesser, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert TOO_MANY in locked.content.decode()
    assert signed_in_user_id(guesser) is None


def test_guesses_spread_over_many_ips_hit_the_accounts_own_limit(verified_attendee):
    for ip in range(40):  # 40 addresses, 5 guesses each: 200 an hour
        guesser = Client(REMOTE_ADDR=f"192.0.2.{ip}")
        for attempt in range(5):
            _sign_in(guesser, f"guess {attempt}")
    owner = Client(REMOTE_ADDR=ELSEWHERE)

    locked = _sign_in(owner, PASSWORD)

    assert TOO_MANY in locked.content.decode()
    assert signed_in_user_id(owner) is None


def test_a_right_password_does_not_count_as_a_wrong_one(verified_attendee):
    client = Client(REMOTE_ADDR=HERE)
    for _ in range(6):
        client.post(
            reverse("account_login"), {"login": "attendee@example.org", "password": PASSWORD}
        )
        client.post(reverse("account_logout"))

    for attempt in range(4):
        _sign_in(client, f"guess {attempt}")
    signed_in = _sign_in(client, PASSWORD)

    assert signed_in["Location"] == reverse("accounts:profile")


def test_the_admin_sign_in_form_signs_nobody_in_and_sends_staff_to_the_limited_one():
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    verify_email(staff)
    client = Client(REMOTE_ADDR=HERE)
    admin_login = reverse("admin:login")

    for attempt in range(40):
        client.post(admin_login, {"username": staff.email, "password": f"guess {attempt}"})
    response = client.post(admin_login, {"username": staff.email, "password": PASSWORD})

    assert signed_in_user_id(client) is None
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Flogin%2F"

    for attempt in range(5):
        _sign_in(client, f"guess {attempt}", login=staff.email)
    locked = _sign_in(client, PASSWORD, login=staff.email)

    assert TOO_MANY in locked.content.decode()
    assert signed_in_user_id(client) is None

    other_computer = Client(REMOTE_ADDR=ELSEWHERE)
    _sign_in(other_computer, PASSWORD, login=staff.email)

    assert other_computer.get(reverse("admin:index")).status_code == 200


class CountingHasher(MD5PasswordHasher):
    """A real hasher that counts the passwords it hashes."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


def _sign_up(email):
    password = "a long sign-up passphrase"
    before = CountingHasher.hashed
    response = Client().post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )
    return response, CountingHasher.hashed - before


def test_sign_up_does_the_same_work_whether_or_not_the_address_has_an_account(
    verified_attendee, settings, smtp_mailer
):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_sign_in_limits.CountingHasher"]

    new, new_hashes = _sign_up("newcomer@example.org")
    known, known_hashes = _sign_up("attendee@example.org")

    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    assert new_hashes == known_hashes == 1
    assert [m.to for m in smtp_mailer.messages] == [
        ["newcomer@example.org"],
        ["attendee@example.org"],
    ]
    assert list(User.objects.values_list("email", flat=True)) == [
        "attendee@example.org",
        "newcomer@example.org",
    ]
