"""Who is on the other end of a room's WebSocket: the session cookie's user.

The same rules as every page (Django's `auth.get_user`: the session's user, if
its backend is configured and the session's password hash still matches),
in one database call on the connection `db_call` keeps (live/db.py).

channels' `AuthMiddlewareStack` does the same work, but through
`database_sync_to_async`, which closes the database connection around every
call while CONN_MAX_AGE is 0 (our default): each handshake opened a fresh
connection, the largest cost of thousands of people entering a webinar at the
start time (bench/README.md). The room's consumer needs only `scope["user"]`.
"""

from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

from convene.live.db import db_call


class _SessionOnly:
    """What `auth.get_user` reads of a request: its session."""

    __slots__ = ("session",)

    def __init__(self, session) -> None:
        self.session = session


def user_for_session(session_key: str | None):
    if not session_key:
        return AnonymousUser()
    engine = import_module(settings.SESSION_ENGINE)
    return auth.get_user(_SessionOnly(engine.SessionStore(session_key)))


def session_key_from(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin-1")).get(settings.SESSION_COOKIE_NAME)
    return None


class SessionUserMiddleware:
    """Sets `scope["user"]` from the session cookie (AnonymousUser without one)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = await db_call(user_for_session)(session_key_from(scope))
        return await self.inner(dict(scope, user=user), receive, send)
