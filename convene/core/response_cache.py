"""Whole public answers served again from the process's memory, in front of Django.

An ASGI middleware (convene/asgi.py), like the body limit. For an anonymous GET
or HEAD (no session or messages cookie) it looks the answer up by scheme, host,
path and query string; an entry is served while its clock boundary has not
passed and every stamp it was built from still has its value in the database
(one small indexed query on a connection of its own, without a thread hop:
docs/decisions/0022). A hit runs no middleware, no view, no template and no ORM;
it answers `If-None-Match` and `If-Modified-Since` with 304 and picks the
precompressed body the client accepts (brotli, gzip, or none).

A miss goes to Django. When the view made the answer public (core.public_cache:
a candidate in the ASGI scope, status 200, no Set-Cookie, `Cache-Control:
public`), its final headers, with every middleware's security headers, are
kept with the body and the first visitor is served from the new entry like
the next ones. The headers are the ones Django made for that scheme and host,
which are part of the key, so HSTS and the HTTPS redirect behave as without
the cache.

Entries live per process, least recently used first out past RESPONSE_CACHE_MB;
a stale entry is simply replaced by the next miss: nothing is ever purged.
"""

import asyncio
import logging
import math
import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any

from django.utils import timezone
from django.utils.http import parse_http_date_safe

from convene.core.public_cache import SCOPE_KEY, Candidate, public_control
from convene.core.stamps import StampKey

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger(__name__)

# Headers a stored answer keeps; these are made afresh for every answer.
_REMADE = {b"content-length", b"content-encoding", b"cache-control", b"etag", b"last-modified"}
# Not on a 304 (RFC 9110 15.4.5: it describes no body).
_NOT_ON_304 = {b"content-type", b"content-disposition", b"content-language"}
_CODINGS = ("br", "gzip")
_SUFFIX = {"identity": "", "gzip": "-gz", "br": "-br"}


@dataclass(eq=False)
class Entry:
    headers: list[tuple[bytes, bytes]]
    bodies: dict[str, bytes]  # by content coding: "identity", "gzip", "br"
    etags: dict[str, bytes]
    stamps: dict[StampKey, int | None]
    scopes: tuple[str, ...]
    until: float | None
    max_age: int
    built: float
    size: int

    @classmethod
    def make(cls, headers: list[tuple[bytes, bytes]], body: bytes, c: Candidate) -> "Entry":
        bodies = {"identity": body, **c.encoded}
        plain = c.etag.strip('"')
        etags = {coding: f'"{plain}{_SUFFIX[coding]}"'.encode() for coding in bodies}
        kept = [(n, v) for n, v in headers if n.lower() not in _REMADE]
        return cls(
            headers=kept,
            bodies=bodies,
            etags=etags,
            stamps=c.stamps,
            scopes=c.scopes,
            until=c.until,
            max_age=c.max_age,
            built=timezone.now().timestamp(),
            size=sum(map(len, bodies.values())) + sum(len(n) + len(v) for n, v in kept),
        )

    def last_modified(self, now: float) -> float | None:
        """When it was built, rounded up to the second, once that second is over.

        HTTP dates have whole seconds: an answer built earlier in the same second
        as a change would carry the same date, so a client holding it would get
        a wrong 304. Sent only from the next second on, while the entry is
        still current, no other content can have carried the same date.
        """
        second = math.ceil(self.built)
        return second if now >= second else None


class Store:
    """Entries by key, least recently used first out past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()

    def get(self, key: tuple) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        self.discard(key)
        self._entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, oldest = self._entries.popitem(last=False)
            self.size -= oldest.size

    def discard(self, key: tuple) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old.size

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0

    def __len__(self) -> int:
        return len(self._entries)


# --- Reading stamps without Django's request machinery ----------------------------


class StampReader:
    """The current stamps of some scopes; None when they cannot be read (a miss)."""

    async def read(self, scopes: tuple[str, ...]) -> dict[StampKey, int] | None:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Close what the reader holds (it opens again when next used)."""


def _query(table: str, count: int, mark: str) -> str:
    marks = ", ".join([mark] * count)
    return f"SELECT scope, name, value FROM {table} WHERE scope IN ({marks})"  # noqa: S608


class SqliteStamps(StampReader):
    """A read-only connection of this process to the same SQLite file, used on the
    event loop: an indexed read in WAL mode takes microseconds and never waits
    for a writer."""

    def __init__(self, path: str, table: str) -> None:
        self.path, self.table = path, table
        self._connection: sqlite3.Connection | None = None

    async def read(self, scopes: tuple[str, ...]) -> dict[StampKey, int] | None:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=1
                )
            rows = self._connection.execute(_query(self.table, len(scopes), "?"), scopes)
            return {(scope, name): value for scope, name, value in rows}
        except sqlite3.Error:
            logger.warning("Could not read the stamps; answering without the cache", exc_info=True)
            self.close()
            return None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def aclose(self) -> None:
        self.close()


class PostgresStamps(StampReader):
    """One asynchronous psycopg connection of this process (autocommit), on the loop.

    Requests that arrive while a query is out wait for the next one, which then reads
    the scopes of all of them at once: one round trip for many concurrent requests,
    and every request's values come from a query sent after it arrived, so none can
    miss a change committed before it came in.
    """

    def __init__(self, params: dict[str, Any], table: str) -> None:
        self.params, self.table = params, table
        self._connection: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self._batch: asyncio.Future | None = None
        self._batch_scopes: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        #: Queries sent (the tests read it).
        self.queries = 0

    async def read(self, scopes: tuple[str, ...]) -> dict[StampKey, int] | None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._lock is None:  # a new loop (tests): reconnect
            self._connection, self._loop, self._lock, self._batch = None, loop, asyncio.Lock(), None
        if self._batch is None:
            self._batch, self._batch_scopes = loop.create_future(), set()
            task = loop.create_task(self._send())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._batch_scopes.update(scopes)
        values = await asyncio.shield(self._batch)
        if values is None:
            return None
        return {key: value for key, value in values.items() if key[0] in scopes}

    async def _send(self) -> None:
        import psycopg

        assert self._lock is not None  # noqa: S101 - set by read() before this task
        async with self._lock:
            batch, scopes = self._batch, tuple(sorted(self._batch_scopes))
            self._batch = None  # later requests make the next batch
            if batch is None:
                return
            try:
                if self._connection is None or self._connection.closed:
                    self._connection = await psycopg.AsyncConnection.connect(
                        **self.params, autocommit=True
                    )
                self.queries += 1
                cursor = await self._connection.execute(
                    _query(self.table, len(scopes), "%s"), scopes
                )
                rows = await cursor.fetchall()
            except Exception:  # any failure is a miss, never a hang or a stale hit
                logger.warning(
                    "Could not read the stamps; answering without the cache", exc_info=True
                )
                self._connection = None
                batch.set_result(None)
            else:
                batch.set_result({(scope, name): value for scope, name, value in rows})

    async def aclose(self) -> None:
        if self._connection is not None and self._loop is asyncio.get_running_loop():
            await self._connection.close()
        self._connection = None


class ThreadStamps(StampReader):
    """Any other database: through the ORM in a worker thread."""

    async def read(self, scopes: tuple[str, ...]) -> dict[StampKey, int] | None:
        from asgiref.sync import sync_to_async

        return await sync_to_async(_read_and_close, thread_sensitive=False)(scopes)


def _read_and_close(scopes: tuple[str, ...]) -> dict[StampKey, int]:
    from django.db import close_old_connections

    from convene.core import stamps

    try:
        return stamps.read(scopes)
    finally:
        close_old_connections()  # as at the end of a request (CONN_MAX_AGE)


def stamp_reader() -> StampReader:
    """The fastest reader for the default database."""
    from django.db import connections

    from convene.core.models import Stamp

    connection = connections["default"]
    table = Stamp._meta.db_table
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and name != ":memory:" and "mode=memory" not in name:
        return SqliteStamps(name, table)
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        for internal in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(internal, None)
        return PostgresStamps(params, table)
    return ThreadStamps()


# --- The middleware ---------------------------------------------------------------


def _accepted(accept_encoding: bytes) -> set[str]:
    """Content codings the client accepts (q > 0)."""
    accepted = set()
    for part in accept_encoding.decode("latin-1").lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q="):
            try:
                if float(q[2:]) <= 0:
                    continue
            except ValueError:
                continue
        if coding:
            accepted.add(coding.strip())
    return accepted


def _matches(if_none_match: bytes, etags: dict[str, bytes]) -> bool:
    """Weak comparison (RFC 9110 13.1.2) against any coding's tag: same content."""
    tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return b"*" in tags or not tags.isdisjoint(etags.values())


class ResponseCache:
    """See the module docstring. `cookies`: names whose presence means "not anonymous"
    (the session and messages cookies); `proto_header`: the header a trusted proxy
    sets for the scheme (SECURE_PROXY_SSL_HEADER), part of the key."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        cookies: tuple[str, ...],
        proto_header: str | None = None,
        reader: Callable[[], StampReader] = stamp_reader,
    ) -> None:
        self.app = app
        self.store = Store(max_bytes)
        self.enabled = max_bytes > 0
        self.cookies = tuple(f"{name}=".encode() for name in cookies)
        self.proto_header = proto_header.encode() if proto_header else None
        self._reader_factory = reader
        self._reader: StampReader | None = None
        #: Answers served from the store (tests and the benchmark read it).
        self.hits = 0

    @property
    def reader(self) -> StampReader:
        if self._reader is None:
            self._reader = self._reader_factory()
        return self._reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.enabled or scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"}:
            await self.app(scope, receive, send)
            return
        request_headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            request_headers[name] = (
                request_headers[name] + b"; " + value
                if name == b"cookie" and name in request_headers
                else value
            )
        cookie = request_headers.get(b"cookie", b"")
        if cookie and any(
            part.strip().startswith(self.cookies) for part in cookie.split(b";")
        ):  # someone signed in, or a message waiting: Django's usual path
            await self.app(scope, receive, send)
            return
        proto = request_headers.get(self.proto_header, b"") if self.proto_header else b""
        key = (
            scope.get("scheme", "http"),
            proto,
            request_headers.get(b"host", b""),
            scope.get("root_path", ""),
            scope["path"],
            scope.get("query_string", b""),
        )
        entry = self.store.get(key)
        if entry is not None:
            now = timezone.now().timestamp()
            if (entry.until is None or now < entry.until) and await self._current(entry):
                self.hits += 1
                await self._serve(entry, scope["method"], request_headers, send, now)
                return
            self.store.discard(key)
        await self._miss(key, scope, receive, send, request_headers)

    async def _current(self, entry: Entry) -> bool:
        values = await self.reader.read(entry.scopes)
        if values is None:
            return False
        return all(values.get(key) == value for key, value in entry.stamps.items())

    async def _miss(
        self,
        key: tuple,
        scope: Scope,
        receive: Receive,
        send: Send,
        request_headers: dict[bytes, bytes],
    ) -> None:
        box: dict[str, Candidate] = {}
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                candidate = box.get("candidate")
                if (
                    candidate is not None
                    and message["status"] == 200
                    and not any(name.lower() == b"set-cookie" for name, _ in headers)
                    and any(
                        name.lower() == b"cache-control" and b"public" in value
                        for name, value in headers
                    )
                ):
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    candidate = box["candidate"]
                    entry = Entry.make(list(start.get("headers", [])), b"".join(chunks), candidate)
                    self.store.put(key, entry)
                    now = timezone.now().timestamp()
                    await self._serve(entry, scope["method"], request_headers, send, now)
            else:
                await send(message)

        await self.app({**scope, SCOPE_KEY: box}, receive, keep)

    async def _serve(
        self,
        entry: Entry,
        method: str,
        request_headers: dict[bytes, bytes],
        send: Send,
        now: float,
    ) -> None:
        accepted = _accepted(request_headers.get(b"accept-encoding", b""))
        coding = next((c for c in _CODINGS if c in entry.bodies and c in accepted), "identity")
        headers = list(entry.headers)
        headers.append((b"cache-control", public_control(entry.max_age, entry.until, now).encode()))
        headers.append((b"etag", entry.etags[coding]))
        modified = entry.last_modified(now)
        if modified is not None:
            headers.append((b"last-modified", formatdate(modified, usegmt=True).encode()))
        if_none_match = request_headers.get(b"if-none-match")
        if if_none_match is not None:
            not_modified = _matches(if_none_match, entry.etags)
        else:
            since = parse_http_date_safe(
                request_headers.get(b"if-modified-since", b"").decode("latin-1")
            )
            not_modified = modified is not None and since is not None and since >= modified
        if not_modified:
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(n, v) for n, v in headers if n.lower() not in _NOT_ON_304],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.bodies[coding]
        if coding != "identity":
            headers.append((b"content-encoding", coding.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
