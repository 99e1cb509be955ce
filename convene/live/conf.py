"""Live room tunables with their defaults.

Read when used, never at import time, so a test or an operator can override any
of them in settings (`LIVE_RATE_LIMIT = (5, 10)` ...).
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Longest message, in UTF-16 code units (what a browser's maxlength counts).
    "LIVE_MESSAGE_MAX_LENGTH": 1000,
    # Per person: at most this many messages in this many seconds.
    "LIVE_RATE_LIMIT": (5, 10),
    # Frames waiting for one slow socket before it is disconnected (it resumes).
    "LIVE_CLIENT_BACKLOG": 100,
    # "direct": one loop writes to every socket; "queue": a task per socket.
    "LIVE_FANOUT_MODE": "direct",
    # Write each event's frame bytes, encoded once, straight to uvicorn's sockets
    # (live/wire.py); False: an ASGI send per socket.
    "LIVE_DIRECT_WRITES": True,
    # The page gives up on WebSockets after this many seconds and uses SSE + POST.
    "LIVE_WEBSOCKET_TIMEOUT": 5,
    # An SSE response ends after this long; the browser reconnects and resumes.
    "LIVE_SSE_SECONDS": 55,
    # Messages shown on the page and sent when a client is too far behind to resume.
    "LIVE_HISTORY": 100,
    # A client more than this many sequence numbers behind gets the latest history.
    "LIVE_RESUME_LIMIT": 1000,
    # Seconds between presence updates (a hub sends at most one per interval).
    "LIVE_PRESENCE_INTERVAL": 2.0,
    # A longer WebSocket text frame (in characters) closes the connection (1009).
    "LIVE_FRAME_MAX_CHARS": 8192,
    # Frames one socket may send: a burst of this many, refilled at this rate per second.
    "LIVE_FLOOD_BURST": 20,
    "LIVE_FLOOD_RATE": 10.0,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
