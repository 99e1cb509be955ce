"""Browser tests: one Debian Chromium per test session, a fresh context per test.

Playwright drives the system's /usr/bin/chromium (or $CHROMIUM); nothing is
downloaded. The pages come from pytest-django's `live_server`, which serves
static files through the finders, with the demo events committed to the test
database (`transactional_db`), because the server runs in another thread.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from convene.accounts.models import User
from convene.events.demo import demo_load
from tests.browser.pages import resolve_path
from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, so the async-unsafe switch below (set while the
    browser is open) never covers the rest of the suite."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread (in a
        # greenlet) while the browser is open. Django then takes every ORM call made
        # from the test thread (demo data, database flush) for a call from async
        # code and raises SynchronousOnlyOperation. Those calls are ordinary
        # blocking ones, so the check is a false alarm here, and only here.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def demo(transactional_db, browser):
    """The demo events, committed so the live server's thread sees them.

    Depends on `browser` so the async-unsafe switch is on before any ORM call."""
    return demo_load(organiser_password="demo-organiser-pw")


@pytest.fixture
def member(transactional_db, browser):
    """A signed-up person whose email address is verified."""
    user = UserFactory(email="member@example.org", name="Mo Member")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(context: BrowserContext, user, base_url: str) -> None:
    """Give the browser the session cookie of a signed-in `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True}]
    )


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def visit(page: Page, context: BrowserContext, live_server, request):
    """Open a `DemoPage` (signed in as `member` when it needs a person) and
    check its status; return Playwright's response."""

    def _visit(demo_page):
        if demo_page.as_user == "member":
            sign_in(context, request.getfixturevalue("member"), live_server.url)
        elif demo_page.as_user == "organiser":
            sign_in(context, User.objects.get(email="organiser@example.org"), live_server.url)
        response = page.goto(resolve_path(demo_page.path))
        assert response is not None
        assert response.status == demo_page.status, f"{demo_page.path} answered {response.status}"
        return response

    return _visit
