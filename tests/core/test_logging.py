"""The log keeps secrets out and refusals short (decision 0011): every link that
carries a secret is logged with [redacted] in its place, by uvicorn's access log
and by Django alike; a refused request is one line, a server error keeps its
traceback."""

import io
import logging
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from convene.core.logging import REDACTED, redact
from tests.core.served import Browser, served
from tests.live import e2e

SECRET = "s3cr3tvalue"
# URL parameters that hold a secret, however a URL pattern names them.
SECRET_PARAMETERS = {"token", "key"}


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _parameters(pattern: URLPattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def test_every_url_with_a_secret_in_it_is_redacted():
    patterns = dict(_named_patterns(get_resolver()))
    secret = sorted(n for n, p in patterns.items() if _parameters(p) & SECRET_PARAMETERS)
    lines = {}
    for name in secret:
        params = _parameters(patterns[name])
        kwargs = {p: (SECRET if p in SECRET_PARAMETERS else "abc1") for p in params}
        lines[name] = f'127.0.0.1:5000 - "GET {reverse(name, kwargs=kwargs)}?next=/ HTTP/1.1" 200'

    # A new URL with a secret in it fails here until logging.py knows it.
    assert secret == [
        "account_confirm_email",
        "account_reset_password_from_key",
        "attendance:confirm",
        "attendance:feed",
        "attendance:unsubscribe",
        "events:host_invitation",
        "events:team_invitation",
    ]
    assert {name: SECRET in redact(line) for name, line in lines.items()} == dict.fromkeys(
        secret, False
    )
    assert all(REDACTED in redact(line) for line in lines.values())


def test_secret_query_values_are_redacted_and_the_rest_kept():
    assert redact("/accounts/login/code/confirm/?code=ABC123&next=/my/agenda/") == (
        "/accounts/login/code/confirm/?code=[redacted]&next=/my/agenda/"
    )
    assert redact("/accounts/password/reset/key/done/") == "/accounts/password/reset/key/done/"


# --- Refusals are one line, errors keep their traceback ------------------------------


def refused(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a real bug")


# The site's own URLs too: the error pages link to them.
urlpatterns = [
    path("refused/", refused),
    path("broken/", broken),
    path("", include("convene.urls")),
]


@pytest.fixture
def log():
    """What the project's own console handler (LOGGING) writes, filters and all."""
    [handler] = [h for h in logging.getLogger().handlers if h.name == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls("tests.core.test_logging")
def test_a_refused_request_logs_one_line(log):
    response = Client().get("/refused/")

    assert response.status_code == 403
    assert log.getvalue().splitlines() == [
        line
        for line in log.getvalue().splitlines()
        if "Forbidden (Permission denied): /refused/" in line
    ]
    assert len(log.getvalue().splitlines()) == 1


@pytest.mark.urls("tests.core.test_logging")
def test_a_server_error_keeps_its_traceback(log):
    response = Client(raise_request_exception=False).get("/broken/")

    lines = log.getvalue().splitlines()
    assert response.status_code == 500
    assert "ERROR django.request: Internal Server Error: /broken/" in lines[0]
    assert "Traceback (most recent call last):" in lines
    assert lines[-1] == "RuntimeError: a real bug"


# --- A real server, started as `make run` starts it ------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return e2e.migrated_database(tmp_path_factory.mktemp("logging"))


def test_a_real_server_logs_no_secret(database, tmp_path):
    server = served(database, tmp_path)
    try:
        browser = Browser(server.port)
        paths = [
            f"/accounts/password/reset/key/1a-{SECRET}1/",
            f"/accounts/confirm-email/{SECRET}2/",
            f"/register/confirm/{SECRET}3/",
            f"/my/calendar/{SECRET}4.ics",
            f"/unsubscribe/{SECRET}5/",
            f"/host-invitations/{SECRET}6/",
            f"/?token={SECRET}7",
        ]
        for url in paths:
            browser.request("GET", url)
    finally:
        server.stop()

    text = server.log.read_text()
    access = [line for line in text.splitlines() if '"GET ' in line]
    assert SECRET not in text
    assert len(access) == len(paths)
    assert all(REDACTED in line for line in access)
    assert re.search(r"WARNING django\.request: Not Found: /my/calendar/\[redacted\]", text)
