"""The response cache's answers (core.response_cache, core.public_cache): conditional
requests, compression, security headers, and what is never cached or public.

Through the site's own ASGI application (tests/asgi.py); the staleness tests are
in tests/events/test_public_cache.py and tests/contributions/test_public_cache.py.
"""

import asyncio
import gzip
from datetime import timedelta

import brotli
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.asgi import get, site
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECURITY_HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "cross-origin-opener-policy",
}


@pytest.fixture
def programme(session):
    # A programme large enough to be compressed.
    for n in range(20):
        SessionFactory(event=session.event, title=f"Conversation number {n}")
    return reverse("events:programme", kwargs={"event": session.event.slug})


def hit(path: str, **kwargs):
    """The answer from the cache (the first request fills it)."""
    get(path, **kwargs)
    before = site()[1].hits
    answer = get(path, **kwargs)
    assert site()[1].hits == before + 1
    return answer


def test_a_cached_answer_keeps_every_security_header_and_says_it_is_public(programme):
    first = get(programme)
    cached = hit(programme)

    for answer in (first, cached):
        assert answer.headers.keys() >= SECURITY_HEADERS
        assert answer.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=60"
        assert answer.headers["vary"] == "Cookie, Accept-Encoding"
        assert answer.headers["etag"].startswith('"')
        assert not answer.cookies
    assert cached.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert cached.headers["etag"] == first.headers["etag"]


def test_if_none_match_answers_304_without_a_body_and_with_the_same_headers(programme):
    etag = get(programme).headers["etag"]

    answer = hit(programme, headers={"If-None-Match": etag})

    assert answer.status == 304
    assert answer.body == b""
    assert answer.headers["etag"] == etag
    assert answer.headers.keys() >= SECURITY_HEADERS
    assert "content-type" not in answer.headers
    assert get(programme, headers={"If-None-Match": '"something-else"'}).status == 200
    assert get(programme, headers={"If-None-Match": f'W/{etag}, "x"'}).status == 304


def test_last_modified_comes_the_second_after_the_answer_was_built(monkeypatch, programme):
    built = get(programme)
    assert "last-modified" not in built.headers  # another answer may share this second

    later = timezone.now() + timedelta(seconds=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    answer = hit(programme)
    modified = answer.headers["last-modified"]

    assert hit(programme, headers={"If-Modified-Since": modified}).status == 304
    assert (
        get(programme, headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status == 200
    )
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3).
    mismatch = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert get(programme, headers=mismatch).status == 200


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip;q=0.5", "gzip", gzip.decompress),
        ("", None, bytes),
    ],
)
def test_the_body_is_precompressed_as_the_client_accepts(programme, accept, coding, decode):
    plain = get(programme).body
    answer = hit(programme, headers={"Accept-Encoding": accept} if accept else {})

    assert answer.headers.get("content-encoding") == coding
    assert decode(answer.body) == plain
    assert int(answer.headers["content-length"]) == len(answer.body)
    if coding:
        assert len(answer.body) < len(plain) / 3
        # Another representation, so another strong tag; either one matches (same content).
        assert answer.headers["etag"] != get(programme).headers["etag"]
        tag = answer.headers["etag"]
        assert get(programme, headers={"If-None-Match": tag}).status == 304


def test_head_gets_the_headers_without_the_body(programme):
    plain = get(programme).body

    answer = hit(programme, method="HEAD")

    assert answer.status == 200
    assert answer.body == b""
    assert int(answer.headers["content-length"]) == len(plain)


def test_a_signed_in_visitor_gets_their_own_private_page(client, programme, attendee):
    get(programme)  # an anonymous copy in the cache
    client.force_login(attendee)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    before = site()[1].hits
    answer = get(programme, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"})

    assert site()[1].hits == before
    assert attendee.name in answer.text
    assert answer.headers["cache-control"] == "private, no-store"
    assert "etag" not in answer.headers


def test_a_message_waiting_goes_to_django_and_is_shown(programme):
    get(programme)
    before = site()[1].hits

    get(programme, headers={"Cookie": "messages=anything"})

    assert site()[1].hits == before


def test_a_page_with_a_csrf_token_is_never_cached_nor_public(event):
    path = reverse("attendance:register", kwargs={"event": event.slug})
    store = site()[1].store

    for _ in range(2):
        answer = get(path)
        assert answer.status == 200
        assert 'name="csrfmiddlewaretoken"' in answer.text
        assert answer.cookies  # the CSRF cookie
        control = answer.headers["cache-control"]
        assert "private" in control
        assert "no-store" in control
        assert "public" not in control
    assert len(store) == 0


def test_errors_and_redirects_are_not_cached(event):
    store = site()[1].store
    assert get("/events/no-such-event/programme/").status == 404
    assert get(f"/events/{event.slug}/programme").status == 301  # APPEND_SLASH
    assert len(store) == 0


def test_answers_for_another_scheme_or_host_are_kept_apart(programme):
    get(programme)
    before = site()[1].hits

    get(programme, scheme="https")

    assert site()[1].hits == before


def test_a_draft_event_is_never_public(event):
    event.status = event.Status.DRAFT
    event.save()
    path = reverse("events:event", kwargs={"event": event.slug})

    assert get(path).status == 404
    assert len(site()[1].store) == 0


def test_the_cache_can_be_turned_off(monkeypatch, programme):
    cache = site()[1]
    monkeypatch.setattr(cache, "enabled", False)

    get(programme)
    get(programme)

    assert len(cache.store) == 0


def test_every_stamp_reader_reads_what_the_orm_reads(tmp_path):
    from convene.core import stamps
    from convene.core.response_cache import SqliteStamps, ThreadStamps, stamp_reader

    stamps.bump("event:x", "programme", "votes")
    stamps.bump(stamps.SITE, "events")
    scopes = ("event:x", stamps.SITE)
    expected = stamps.read(scopes)

    async def both():
        fast = stamp_reader()
        try:
            return await fast.read(scopes), await ThreadStamps().read(scopes)
        finally:
            await fast.aclose()

    assert asyncio.run(both()) == (expected, expected)
    # A database it cannot read: None, so the entry is treated as a miss.
    missing = SqliteStamps(str(tmp_path / "none.sqlite3"), "core_stamp")
    assert asyncio.run(missing.read(scopes)) is None


def test_a_stamp_that_cannot_be_read_is_a_miss_not_a_stale_hit(monkeypatch, programme):
    cache = site()[1]
    get(programme)

    async def unreadable(scopes):
        return None

    monkeypatch.setattr(cache.reader, "read", unreadable)
    before = cache.hits
    assert get(programme).status == 200
    assert cache.hits == before


def test_hsts_is_on_cached_https_answers_and_never_on_plain_ones(settings, programme):
    """Production's HSTS (off in tests): a site built with it, its own response cache."""
    from django.core.asgi import get_asgi_application

    from convene.core.response_cache import ResponseCache

    settings.SECURE_HSTS_SECONDS = 3600
    secure = ResponseCache(
        get_asgi_application(), max_bytes=1 << 24, cookies=(settings.SESSION_COOKIE_NAME,)
    )
    first = get(programme, scheme="https", application=secure)
    cached = get(programme, scheme="https", application=secure)
    etag = {"If-None-Match": first.headers["etag"]}
    not_modified = get(programme, scheme="https", application=secure, headers=etag)

    assert secure.hits == 2
    assert not_modified.status == 304
    for answer in (first, cached, not_modified):
        assert answer.headers["strict-transport-security"] == "max-age=3600"
        assert answer.headers.keys() >= SECURITY_HEADERS
    plain = get(programme, application=secure)
    assert "strict-transport-security" not in plain.headers


def test_concurrent_stamp_reads_agree_and_share_round_trips():
    """On PostgreSQL, requests that arrive while a stamp query is out share the next
    one; every reader still gets exactly its own scopes' current values."""
    from convene.core import stamps
    from convene.core.response_cache import PostgresStamps, stamp_reader

    stamps.bump("event:a", "programme")
    stamps.bump("event:b", "votes")
    scopes = [("event:a",), ("event:b",), ("event:a", "event:b")] * 10

    async def together():
        reader = stamp_reader()
        try:
            return reader, await asyncio.gather(*(reader.read(s) for s in scopes))
        finally:
            await reader.aclose()

    reader, answers = asyncio.run(together())

    assert answers == [stamps.read(s) for s in scopes]
    if isinstance(reader, PostgresStamps):
        assert reader.queries <= 2
