"""The organiser area's tables, at 1280 and at 320 CSS pixels wide: header cells
and times never break inside a word ("St art s", "10 :0 0"), tables scroll
sideways in a labelled, focusable region instead of widening the page, and the
programme grid uses the screen."""

import pytest
from django.utils import timezone

from convene.attendance.models import Booking, Registration
from convene.events.models import Event, Session
from tests.browser.pages import ORGANISER_PAGES, resolve_path
from tests.browser.test_axe import BLOCKING, describe, run_axe

pytestmark = pytest.mark.browser

TABLE_PAGES = {
    "orga:dashboard",
    "orga:grid",
    "orga:sessions",
    "orga:registrations",
    "orga:attendance",
    "orga:attendance-session",
}
PAGES = [p for p in ORGANISER_PAGES if p.id in TABLE_PAGES]
WIDTHS = [1280, 320]
_SPREAD = "what-is-needed-to-help-people-spread-innovation-and-improvement"

# Every word of every header cell and of every time in a table, with the number
# of lines it is drawn on (more than one: broken inside the word).
BROKEN_WORDS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main th, main table time")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".nhsuk-u-visually-hidden")) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()]
          .filter(rect => rect.width > 0).map(rect => Math.round(rect.top)));
        if (tops.size !== 1) broken.push(`${match[0]} (${tops.size} lines)`);
      }
    }
  }
  return broken;
}
"""

# Each table and the region around it that scrolls sideways.
TABLE_REGIONS = """
() => [...document.querySelectorAll("main table")].map(table => {
  const region = table.closest("[role=region]");
  return region && {
    tabindex: region.getAttribute("tabindex"),
    label: region.getAttribute("aria-label") || "",
    overflowX: getComputedStyle(region).overflowX,
  };
})
"""


@pytest.fixture
def registrations(demo):
    """Two people registered for the 2022 demo event, one with a place in a session."""
    event = Event.objects.get(slug="big-conversation-2022")
    session = Session.objects.get(slug=_SPREAD)
    first = Registration.objects.create(
        event=event,
        email="prudence.practitioner@example.org",
        name="Prudence Practitioner",
        organisation="Leeds Teaching Hospitals NHS Trust",
        state=Registration.State.CONFIRMED,
        access_needs="Live captions",
    )
    Registration.objects.create(
        event=event, email="sam@example.org", name="Sam", state=Registration.State.UNCONFIRMED
    )
    Booking.objects.create(
        session=session, registration=first, state=Booking.State.BOOKED, queued_at=timezone.now()
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("demo_page", PAGES, ids=[p.id for p in PAGES])
def test_organiser_table_headers_and_times_never_break_inside_a_word(
    registrations, visit, page, demo_page, width
):
    page.set_viewport_size({"width": width, "height": 800})

    visit(demo_page)

    assert page.locator("main table").count() >= 1, f"no table on {demo_page.path}"
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("demo_page", PAGES, ids=[p.id for p in PAGES])
def test_organiser_tables_scroll_in_a_labelled_focusable_region(
    registrations, visit, page, axe_source, demo_page
):
    page.set_viewport_size({"width": 320, "height": 800})

    visit(demo_page)

    regions = page.evaluate(TABLE_REGIONS)
    assert regions, f"no table on {demo_page.path}"
    for region in regions:
        assert region is not None, "a table outside a scrolling region"
        assert (region["tabindex"], region["overflowX"]) == ("0", "auto")
        assert region["label"].strip()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, describe(violations)


def test_programme_grid_uses_the_screen_at_1280_pixels(demo, visit, page):
    [grid] = [p for p in ORGANISER_PAGES if p.id == "orga:grid"]

    visit(grid)

    widths = page.evaluate(
        "[...document.querySelectorAll('table.convene-grid')]"
        ".map(table => table.getBoundingClientRect().width)"
    )
    assert len(widths) == 2  # the two days of the 2022 demo event
    assert min(widths) > 0.8 * 1280, widths


def test_organiser_navigation_links_to_the_chat_settings(demo, visit, page):
    [grid] = [p for p in ORGANISER_PAGES if p.id == "orga:grid"]
    visit(grid)

    nav = page.get_by_role("navigation", name="Organiser area")
    nav.get_by_role("link", name="Chat settings").click()

    assert page.url.endswith(resolve_path("/orga/big-conversation-2022/chat/"))
    current = nav.locator("[aria-current=page]")
    assert current.inner_text() == "Chat settings"
