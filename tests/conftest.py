"""Personas (healthchecks' Alice/Bob/Charlie): who is who around one event.

- organiser: runs `event`          - host: hosts `session` (a host role too)
- moderator: moderates `session` (a Host with the moderator role)
- speaker: speaks in `session` (a Host row, no event role: answers questions,
  does not moderate)
- judge: a judge of `event` (a role, but not in `session`)
- attendee: an ordinary signed-in person with no role
- registered: `attendee`, registered for `event` (so for `session`, a drop-in)
- outsider: signed in, no tie to anything
- superuser: Django's superuser and staff
Anonymous visitors are Django's test client without a login.

Permission tests are tables over these (tests/personas.py: `PERSONAS`,
`matrix`, `outcome`): `as_persona(persona)` is a client signed in as one of
them, `persona_user(persona)` the person (AnonymousUser for anonymous).
`client_for(user)` lives in tests/personas.py; importing it from here still works.

Also for every folder: `mail` (a real SMTP server, tests/smtp.py, with data
committed so emails sent after commit arrive) and `tasks_at_once` (enqueued
tasks run at enqueue time, in this process: IMMEDIATE_TASKS).
"""

import sys
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from convene.attendance import services as attendance_services
from convene.events.models import EventRole, Host
from tests.factories import (
    EventFactory,
    EventRoleFactory,
    HostFactory,
    SessionFactory,
    UserFactory,
)
from tests.personas import ANONYMOUS, client_for
from tests.smtp import smtp_mailer, smtp_server  # noqa: F401 - fixtures for every folder

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database file rather than Django's shared in-memory one.

    Threads and worker processes then share one database with SQLite's real
    locking (WAL, busy timeout), as in production; the in-memory database's
    shared cache answers "database table is locked" at once instead of waiting.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with the production hasher costs ~0.3 s a user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (local memory outlives a test)."""
    from django.core.cache import cache

    from convene.live import selectors as live_selectors

    cache.clear()
    # The response cache of convene.asgi (tests/asgi.py), once something imported it.
    if (asgi := sys.modules.get("convene.asgi")) is not None:
        asgi.response_cache.store.clear()
    # The live rooms keep a short-lived in-process directory per room id; test
    # databases reuse ids, so a directory from an earlier test must not leak in.
    live_selectors._access_rooms.clear()
    live_selectors._directories.clear()


@pytest.fixture
def event(db):
    return EventFactory(slug="big-conversation", title="The Big Conversation")


@pytest.fixture
def session(event):
    return SessionFactory(event=event, slug="spread", title="Spreading improvement")


@pytest.fixture
def organiser(event):
    user = UserFactory(email="organiser@example.org", name="Olu Organiser")
    EventRoleFactory(event=event, user=user, role=EventRole.Role.ORGANISER)
    return user


@pytest.fixture
def host(event, session):
    user = UserFactory(email="host@example.org", name="Hana Host")
    EventRoleFactory(event=event, user=user, role=EventRole.Role.HOST)
    HostFactory(session=session, user=user, guest_name="", role=Host.Role.HOST)
    return user


@pytest.fixture
def judge(event):
    user = UserFactory(email="judge@example.org", name="Jo Judge")
    EventRoleFactory(event=event, user=user, role=EventRole.Role.JUDGE)
    return user


@pytest.fixture
def moderator(event, session):
    user = UserFactory(email="moderator@example.org", name="Mo Moderator")
    EventRoleFactory(event=event, user=user, role=EventRole.Role.HOST)
    HostFactory(session=session, user=user, guest_name="", role=Host.Role.MODERATOR)
    return user


@pytest.fixture
def tasks_at_once(settings):
    """Enqueued tasks run at enqueue time (after commit), in this process."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def mail(transactional_db, smtp_mailer):  # noqa: F811 - the fixture imported above
    """The SMTP server, with data committed: emails are sent after commit."""
    return smtp_mailer


@pytest.fixture
def attendee(db):
    return UserFactory(email="attendee@example.org", name="Ade Attendee")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", name="Oz Outsider")


@pytest.fixture
def registered(event, attendee):
    attendance_services.registration_create(event=event, user=attendee)
    return attendee


@pytest.fixture
def speaker(event, session):
    user = UserFactory(email="speaker@example.org", name="Sam Speaker")
    HostFactory(session=session, user=user, guest_name="", role=Host.Role.SPEAKER)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def persona_user(request) -> Callable[[str], object]:
    """The persona's person, made when first asked for; AnonymousUser for anonymous."""

    def user(persona: str):
        if persona == ANONYMOUS:
            return AnonymousUser()
        return request.getfixturevalue(persona)

    return user


@pytest.fixture
def as_persona(persona_user) -> Callable[[str], Client]:
    """A test client signed in as the persona (without a login for anonymous)."""

    def client(persona: str) -> Client:
        if persona == ANONYMOUS:
            return Client()
        return client_for(persona_user(persona))

    return client
