"""Public answers for anonymous visitors: what a view declares, and the cache headers.

A public view (the event site, the exports, the boards' read views, the
principles) is wrapped in `public_cache(scopes)`. For an anonymous GET or HEAD
the wrapper first reads the stamps of those scopes (core.stamps: one query,
before the view reads any data), then runs the view, which says what its answer
depends on with `depend(request, Freshness(...))`: the stamps of what it shows
and the first moment its clock-driven parts ("happening now", "this session
has ended") change. An answer is public only if

- the visitor is anonymous and the method is GET or HEAD,
- it is a 200 that sets no cookie and used no CSRF token,
- every part of the page said what it depends on (an extension that cannot
  say, or a stamp outside the scopes read first, makes it private).

Such an answer gets a strong ETag, `Cache-Control: public, max-age=60,
stale-while-revalidate=60` (less when a clock boundary is nearer; `public,
no-cache` for the live vote counts) and
`Vary: Cookie, Accept-Encoding`; under ASGI it is handed to the response cache
(core.response_cache), which serves it again, compressed, until a stamp
changes or the boundary passes. Everything else is `private, no-store`
(`CacheControlMiddleware`), so no personal page is ever marked public.
See docs/decisions/0022.
"""

import gzip
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

from convene.core import stamps
from convene.core.stamps import StampKey

try:  # a pinned dependency (pyproject.toml); gzip alone if it is missing
    import brotli
except ImportError:  # pragma: no cover - installed everywhere the lock is
    brotli = None

#: The key in the ASGI scope where the response cache waits for a candidate.
SCOPE_KEY = "convene.response_cache"
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 60
# Bodies smaller than this are sent as they are: compressing saves too little.
COMPRESS_FROM = 1024
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
)


@dataclass(frozen=True)
class Freshness:
    """What one part of a page depends on: stamps, and when its clock next turns."""

    stamps: tuple[StampKey, ...] = ()
    until: datetime | None = None

    def __or__(self, other: "Freshness") -> "Freshness":
        times = [t for t in (self.until, other.until) if t is not None]
        return Freshness(
            stamps=tuple(dict.fromkeys(self.stamps + other.stamps)),
            until=min(times) if times else None,
        )


def earliest(*moments: datetime | None) -> datetime | None:
    """The first of the moments that are set (None if none is)."""
    times = [m for m in moments if m is not None]
    return min(times) if times else None


@dataclass
class _Declared:
    scopes: frozenset[str]
    values: dict[StampKey, int]
    depends: set[StampKey] = field(default_factory=set)
    until: datetime | None = None
    refused: bool = False


@dataclass(frozen=True)
class Candidate:
    """What the response cache needs besides the response itself."""

    stamps: dict[StampKey, int | None]
    scopes: tuple[str, ...]
    until: float | None
    max_age: int
    etag: str
    # Precompressed bodies by content coding ("gzip", "br"), made in the view's thread.
    encoded: dict[str, bytes]


def depend(request: HttpRequest, freshness: Freshness | None) -> None:
    """Say what this answer shows; None means "this part cannot say": not public."""
    declared: _Declared | None = getattr(request, "_public_cache", None)
    if declared is None:
        return
    if freshness is None:
        declared.refused = True
        return
    for key in freshness.stamps:
        if key[0] in declared.scopes:
            declared.depends.add(key)
        else:  # read after the data, so it could be newer than what the page shows
            declared.refused = True
    declared.until = earliest(declared.until, freshness.until)


def is_compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE)


def encodings(body: bytes, content_type: str) -> dict[str, bytes]:
    """The body compressed once for every visitor: gzip and, where installed, brotli."""
    if len(body) < COMPRESS_FROM or not is_compressible(content_type):
        return {}
    encoded = {"gzip": gzip.compress(body, compresslevel=9, mtime=0)}
    if brotli is not None:
        encoded["br"] = brotli.compress(body, quality=9)
    return encoded


def public_control(max_age: int, until: float | None, now: float) -> str:
    """`Cache-Control` of a public answer: `max_age`, or less when its clock turns sooner.

    A CDN or proxy may then keep it that long and serve it a while longer while it
    asks again (stale-while-revalidate); with no lifetime at all (the live vote
    counts) it may keep it but must ask every time (no-cache: a 304 is cheap).
    """
    if max_age <= 0:
        return "public, no-cache"
    seconds = max_age if until is None else max(0, min(max_age, int(until - now)))
    return f"public, max-age={seconds}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def public_cache(
    scopes: Callable[..., Iterable[str]], *, max_age: int = MAX_AGE
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Make a view's anonymous answers public and cacheable (see the module docstring).

    `scopes(**view_kwargs)` names the stamp scopes the view may depend on; they
    are read before the view runs.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            names = frozenset(scopes(**kwargs))
            # The stamps are for the response cache; without it in front (the test
            # client, WSGI) the answer only gets its headers.
            box = getattr(request, "scope", {}).get(SCOPE_KEY)
            declared = _Declared(scopes=names, values=stamps.read(names) if box is not None else {})
            request._public_cache = declared  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            return _finish(request, response, declared, max_age)

        return wrapped

    return decorator


def _finish(
    request: HttpRequest, response: HttpResponseBase, declared: _Declared, max_age: int
) -> HttpResponseBase:
    now = timezone.now()
    if (
        not isinstance(response, HttpResponse)
        or response.status_code != 200
        or declared.refused
        or not declared.depends
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.has_header("Cache-Control")
        or (declared.until is not None and declared.until <= now)
    ):
        return response  # CacheControlMiddleware marks it private
    body = response.content
    etag = strong_etag(body)
    response["ETag"] = etag
    until = declared.until.timestamp() if declared.until is not None else None
    response["Cache-Control"] = public_control(max_age, until, now.timestamp())
    content_type = response.get("Content-Type", "")
    patch_vary_headers(
        response, ("Cookie", "Accept-Encoding") if is_compressible(content_type) else ("Cookie",)
    )
    box = getattr(request, "scope", {}).get(SCOPE_KEY)
    if box is None:  # no response cache in front (the test client, WSGI)
        return get_conditional_response(request, etag=etag, response=response) or response
    box["candidate"] = Candidate(
        stamps={key: declared.values.get(key) for key in sorted(declared.depends)},
        scopes=tuple(sorted(declared.scopes)),
        until=until,
        max_age=max_age,
        etag=etag,
        encoded=encodings(body, content_type),
    )
    return response


PRIVATE = "private, no-store"


class CacheControlMiddleware:
    """Every answer not made public by `public_cache` is `private, no-store`.

    Also the last word: an answer that sets a cookie, or is for a signed-in
    person, is never public, whatever a view said. Sits after WhiteNoise (static
    files keep its long public lifetime) and before sessions, CSRF and messages,
    so it sees the cookies they add.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if not control:
            response["Cache-Control"] = PRIVATE
        elif "public" in control and (response.cookies or _signed_in(request)):
            response["Cache-Control"] = PRIVATE
            if response.has_header("ETag"):
                del response["ETag"]
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
