"""At 320 CSS pixels wide (1280 px at 400 % zoom, WCAG 1.4.10) the programme and
session pages reflow into one column: nothing scrolls sideways."""

import pytest

from tests.browser.pages import PAGES

pytestmark = pytest.mark.browser

REFLOW_PAGES = [p for p in PAGES if p.id.startswith(("programme:", "session:"))]
WIDTH = 320

# What sticks out past the right edge, to say which element breaks the reflow.
OVERFLOWING = """
width => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .map(el => `<${el.tagName.toLowerCase()} class="${el.className}">`
    + ` right edge at ${Math.round(el.getBoundingClientRect().right)}px`)
  .slice(0, 10)
"""


@pytest.mark.parametrize("demo_page", REFLOW_PAGES, ids=[p.id for p in REFLOW_PAGES])
def test_page_reflows_at_320_css_pixels(demo, page, demo_page):
    page.set_viewport_size({"width": WIDTH, "height": 640})

    page.goto(demo_page.path)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH + 1, page.evaluate(OVERFLOWING, WIDTH)
