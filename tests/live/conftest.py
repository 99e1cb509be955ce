"""Live room fixtures, on top of the personas in tests/conftest.py.

- registered, moderator: tests/conftest.py (`attendee` registered for `event`;
  the moderator of `session`)
- room: `session`'s room, which only registered people may read (the default)

Async scenarios run with `run(...)`: one event loop per test, its hubs closed at
the end, and a fresh in-memory channel layer per test (its queues belong to a loop).
"""

import importlib.util
import sys
import types

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers

# channels.testing imports daphne for its live-server test case, which we do not
# use (the end-to-end tests run real uvicorn). A stand-in module lets the
# communicator import without installing daphne and Twisted for nothing.
if importlib.util.find_spec("daphne") is None:
    sys.modules.setdefault("daphne", types.ModuleType("daphne"))
    sys.modules.setdefault("daphne.testing", types.ModuleType("daphne.testing"))
    sys.modules["daphne.testing"].DaphneProcess = None

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from convene.attendance import services as attendance_services
from convene.live import services
from convene.live.transport import hub as transport_hub
from tests.factories import UserFactory

ORIGIN = (b"origin", b"http://127.0.0.1")
# Frames without a number that can arrive at any time.
UNNUMBERED = {"presence", "reactions"}


@pytest.fixture(autouse=True)
def _fresh_channel_layer_and_caches():
    from convene.live import selectors

    channel_layers.backends.clear()
    selectors._access_rooms.clear()
    selectors._directories.clear()
    yield
    channel_layers.backends.clear()
    selectors._access_rooms.clear()
    selectors._directories.clear()


@pytest.fixture(autouse=True)
def _quiet_presence(monkeypatch):
    """Presence frames every hour unless a test asks for them."""
    monkeypatch.setattr(transport_hub, "PRESENCE_INTERVAL", 3600)


def run(coroutine_function, *args, **kwargs):
    """Run an async scenario to the end in its own loop, then close this process's hubs."""

    async def scenario():
        try:
            return await coroutine_function(*args, **kwargs)
        finally:
            await transport_hub.reset()

    return async_to_sync(scenario)()


def register(user, event):
    return attendance_services.registration_create(event=event, user=user)


@pytest.fixture
def room(session):
    return services.room_ensure(session=session)


def registered_person(event, **fields):
    user = UserFactory(**fields)
    register(user, event)
    return user


def cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


async def communicator(room, user=None, *, after: int | None = None) -> WebsocketCommunicator:
    from channels.db import database_sync_to_async

    from convene.asgi import application

    path = f"/ws/live/rooms/{room.pk}/"
    if after is not None:
        path += f"?after={after}"
    headers = [ORIGIN]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(cookie_for)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


async def next_frame(comm, *, skip=UNNUMBERED, timeout: float = 3) -> dict:
    """The next frame, passing over presence and reaction counts unless asked for."""
    while True:
        frame = await comm.receive_json_from(timeout=timeout)
        if frame["type"] not in skip:
            return frame


async def joined(room, user=None, *, after: int | None = None):
    """A connected communicator, past its hello and first batch: (comm, hello, batch)."""
    comm = await communicator(room, user, after=after)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    hello = await next_frame(comm)
    batch = await next_frame(comm)
    assert (hello["type"], batch["type"]) == ("hello", "batch")
    return comm, hello, batch


async def send(comm, **command) -> None:
    await comm.send_json_to(command)
