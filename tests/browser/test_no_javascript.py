"""The programme works with JavaScript switched off: the sessions are listed and
the type filter is a plain form that submits and filters."""

import pytest
from playwright.sync_api import Browser

from convene.events.models import Session

pytestmark = pytest.mark.browser

PROGRAMME = "/events/big-conversation-2022/programme/"


@pytest.fixture
def page_without_js(browser: Browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _titles(event_slug: str, **filters) -> list[str]:
    sessions = Session.objects.filter(event__slug=event_slug, **filters)
    return sorted(sessions.values_list("title", flat=True))


def test_programme_lists_sessions_without_javascript(demo, page_without_js):
    page = page_without_js

    page.goto(PROGRAMME)

    assert page.locator("body.js-enabled").count() == 0, "JavaScript ran"
    shown = page.locator(".convene-programme__title").all_inner_texts()
    assert sorted(shown) == _titles("big-conversation-2022")


def test_programme_filter_submits_and_filters_without_javascript(demo, page_without_js):
    page = page_without_js
    page.goto(PROGRAMME)

    page.get_by_label("Show sessions of type").select_option("open_conversation")
    page.locator("form[method=get] [type=submit]").click()

    page.wait_for_url(lambda url: "kind=open_conversation" in url)
    shown = page.locator(".convene-programme__title").all_inner_texts()
    assert sorted(shown) == _titles("big-conversation-2022", kind=Session.Kind.OPEN_CONVERSATION)
    assert len(shown) == 3
    assert page.get_by_label("Show sessions of type").input_value() == "open_conversation"
