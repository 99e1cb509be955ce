"""Database calls from the room's async code (the hub and the consumer).

channels' `database_sync_to_async` closes the thread's connection before and
after every call unless CONN_MAX_AGE keeps it; with our default of 0, every
socket event would open a new connection (with its PRAGMAs on SQLite) — most
of the cost of a WebSocket handshake. `db_call` keeps the sync thread's
connection between socket events for up to KEEP_SECONDS, and closes it at once
after an error or when it is unusable, as Django does for requests.
"""

import threading
import time

from asgiref.sync import SyncToAsync
from django.db import close_old_connections, connections

KEEP_SECONDS = 30.0
_opened = threading.local()


def _tidy() -> None:
    stale = time.monotonic() - getattr(_opened, "at", 0.0) > KEEP_SECONDS
    broken = any(conn.errors_occurred for conn in connections.all(initialized_only=True))
    if stale or broken:
        close_old_connections()
        for conn in connections.all(initialized_only=True):
            conn.close()
        _opened.at = time.monotonic()


class DatabaseCall(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        _tidy()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            for conn in connections.all(initialized_only=True):
                if conn.errors_occurred:
                    conn.close()


db_call = DatabaseCall
