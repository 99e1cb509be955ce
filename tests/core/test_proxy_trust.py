"""Rate limits count the client's real address (decision 0011): uvicorn believes
X-Forwarded-For only from the proxies FORWARDED_ALLOW_IPS names, and the proxy
set-up in the operators' guide overwrites the header a client sends."""

import pytest

from convene.attendance.views.public import REGISTRATION_RATE
from tests.core.served import NGINX_SNIPPET, Browser, Nginx, served
from tests.live import e2e

SIGN_IN_RATE = 10  # ACCOUNT_RATE_LIMITS["login_failed"]: 10 a minute from one address


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxy-trust")
    template = e2e.migrated_database(folder)
    return e2e.seeded_copy(template, folder)[0]


@pytest.fixture
def direct(database, tmp_path):
    server = served(database, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def behind_nginx(database, tmp_path):
    server = served(database, tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1")
    proxy = Nginx(server.port, tmp_path)
    yield server, proxy
    proxy.stop()
    server.stop()


def _register(browser, n, *, spoof):
    headers = {"X-Forwarded-For": f"203.0.113.{n}"} if spoof else {}
    form = {"name": f"Person {n}", "email": f"person{n}@example.org"}
    return browser.post_form("/events/e2e/register/", form, headers=headers)[0]


def _sign_in(browser, n):
    """'refused' when the sign-in limit stopped the attempt, 'wrong' when it was tried."""
    form = {"login": f"nobody{n}@example.org", "password": "wrong-password"}
    headers = {"X-Forwarded-For": f"198.51.100.{n}"}
    status, page = browser.post_form("/accounts/login/", form, headers=headers)
    assert status == 200
    return "refused" if "Too many failed login attempts" in page else "wrong"


def test_a_direct_client_cannot_dodge_the_registration_limit_with_x_forwarded_for(direct):
    browser = Browser(direct.port)

    statuses = [_register(browser, n, spoof=True) for n in range(REGISTRATION_RATE + 1)]

    assert statuses == [302] * REGISTRATION_RATE + [429]


def test_a_direct_client_cannot_dodge_the_sign_in_limit_with_x_forwarded_for(direct):
    browser = Browser(direct.port)

    statuses = [_sign_in(browser, n) for n in range(SIGN_IN_RATE + 1)]

    assert statuses == ["wrong"] * SIGN_IN_RATE + ["refused"]


def test_behind_the_documented_nginx_each_client_counts_once_whatever_it_sends(behind_nginx):
    server, proxy = behind_nginx
    first, second = Browser(proxy.port, source="127.0.0.2"), Browser(proxy.port, source="127.0.0.3")

    statuses = [_register(first, n, spoof=True) for n in range(REGISTRATION_RATE + 1)]
    other = _register(second, 99, spoof=False)

    assert statuses == [302] * REGISTRATION_RATE + [429]
    # The proxy's header named each client: they do not share the proxy's count.
    assert other == 302
    log = server.log.read_text()
    assert '127.0.0.2:0 - "POST /events/e2e/register/' in log
    assert '127.0.0.3:0 - "POST /events/e2e/register/' in log
    assert "203.0.113." not in log


def test_the_operators_guide_shows_the_nginx_lines_the_test_runs():
    guide = (e2e.ROOT / "docs" / "operators.md").read_text()
    directives = [
        line for line in NGINX_SNIPPET.read_text().splitlines() if line and not line.startswith("#")
    ]

    assert "proxy_set_header X-Forwarded-For $remote_addr;" in directives
    assert [line for line in directives if f"    {line}" not in guide] == []
