"""Times in the visitor's own zone: their zone first in the list, one 24-hour clock."""

import re

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

BIG = "/events/big-conversation-2022"
SESSION = f"{BIG}/sessions/what-is-needed-to-help-people-spread-innovation-and-improvement/"


@pytest.fixture
def american_page(browser: Browser, live_server):
    """A browser in New York with US English, whose own clock says 10:30 AM."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="America/New_York"
    )
    yield context.new_page()
    context.close()


def test_the_visitors_own_zone_comes_first_in_the_list(american_page, demo):
    american_page.goto(f"{BIG}/programme/")

    first_group = american_page.locator("#id_tz > optgroup").first
    assert first_group.get_attribute("label") == "Your time zone"
    assert first_group.locator("option").all_text_contents() == ["New York"]
    assert american_page.locator('#id_tz option[value="America/New_York"]').count() == 1
    assert american_page.locator("#id_tz").input_value() == ""


def test_times_beside_the_events_times_use_the_24_hour_clock(american_page, demo):
    american_page.goto(SESSION)

    notes = american_page.locator("time[data-local-time] + span").all_text_contents()
    assert notes
    for note in notes:
        assert re.fullmatch(r" \(\d\d:\d\d \S+ your time\)", note), note
