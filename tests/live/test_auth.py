"""The room's WebSocket knows people by their session cookie, by Django's rules."""

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from convene.live import auth
from tests.live.conftest import communicator, cookie_for, joined, run

pytestmark = pytest.mark.django_db(transaction=True)


def session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_cookie_gives_its_user(attendee):
    assert auth.user_for_session(session_key(attendee)) == attendee


@pytest.mark.parametrize("key", [None, "", "no-such-session-key-abcdefghijklmnop"])
def test_no_or_unknown_session_is_anonymous(key):
    assert isinstance(auth.user_for_session(key), AnonymousUser)


def test_a_password_change_signs_the_socket_out_too(attendee):
    key = session_key(attendee)
    attendee.set_password("a-new-password-for-ade")
    attendee.save()
    assert isinstance(auth.user_for_session(key), AnonymousUser)


def test_a_session_of_a_backend_no_longer_configured_is_anonymous(attendee, settings):
    key = session_key(attendee)
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.RemoteUserBackend"]
    assert isinstance(auth.user_for_session(key), AnonymousUser)


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [(b"cookie", b"")],
        [(b"cookie", b"other=1; sessionid")],
        [(b"cookie", b"\xff\xfe=\xff")],
    ],
)
def test_odd_cookie_headers_mean_no_session(headers):
    assert not auth.session_key_from({"headers": headers})


def test_the_cookie_is_read_among_others():
    name = settings.SESSION_COOKIE_NAME.encode()
    headers = [(b"host", b"x"), (b"cookie", b"a=1; " + name + b"=abc123; b=2")]
    assert auth.session_key_from({"headers": headers}) == "abc123"


def sign_in_then_change_password(user) -> bytes:
    cookie = cookie_for(user)
    user.set_password("changed-since-sign-in")
    user.save()
    return cookie


def test_a_signed_in_person_enters_and_a_signed_out_one_is_refused(room, registered):
    async def scenario():
        comm, hello, _ = await joined(room, registered)
        await comm.disconnect()
        cookie = await database_sync_to_async(sign_in_then_change_password)(registered)
        stale = await communicator(room)
        stale.scope["headers"].append((b"cookie", cookie))
        connected, code = await stale.connect(timeout=5)
        return hello["you"]["name"], connected, code

    name, connected, code = run(scenario)

    assert name == registered.name
    assert (connected, code) == (False, 4403)
