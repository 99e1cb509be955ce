"""Someone using only a keyboard reaches every link, sees where focus is, and
can skip the header with the first key press (WCAG 2.1.1, 2.4.1, 2.4.7)."""

import pytest

pytestmark = pytest.mark.browser

KEYBOARD_PAGES = {
    "home": "/",
    "event": "/events/big-conversation-2022/",
    "programme": "/events/big-conversation-2022/programme/",
    "session": (
        "/events/big-conversation-2022/sessions/"
        "what-is-needed-to-help-people-spread-innovation-and-improvement/"
    ),
}

# Before any key is pressed: remember every element that could take focus and how
# it looks unfocused, so each Tab stop can be compared with its own resting look.
SNAPSHOT_FOCUSABLES = """
() => {
  window.__focusLook = (el) => {
    const style = getComputedStyle(el);
    const outlineShown = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !/rgba\\(.*,\\s*0\\)$|transparent/.test(style.outlineColor);
    return {
      outline: outlineShown
        ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : "",
      boxShadow: style.boxShadow,
      background: style.backgroundColor,
    };
  };
  window.__focusables = [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]"
  )];
  window.__restingLook = window.__focusables.map(window.__focusLook);
  return window.__focusables.map((el, index) => ({
    index,
    isLink: el.matches("a[href]"),
    visible: el.checkVisibility({visibilityProperty: true})
      && el.getClientRects().length > 0,
    label: `<${el.tagName.toLowerCase()}> ${(el.getAttribute("href") || "")} `
      + `"${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)}"`,
  }));
}
"""

# After each Tab: which element has focus, and does it look different from rest?
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const index = window.__focusables.indexOf(el);
  const now = window.__focusLook(el);
  const before = index >= 0
    ? window.__restingLook[index] : {outline: "", boxShadow: "none", background: ""};
  return {
    index,
    id: el.id,
    className: el.className,
    label: `<${el.tagName.toLowerCase()}> ${(el.getAttribute("href") || "")} `
      + `"${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)}"`,
    indicated: (now.outline !== "" && now.outline !== before.outline)
      || (now.boxShadow !== "none" && now.boxShadow !== before.boxShadow)
      || now.background !== before.background,
  };
}
"""


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or comes round again; at most `limit` times."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["index"] == stops[0]["index"]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("path", KEYBOARD_PAGES.values(), ids=KEYBOARD_PAGES.keys())
def test_tab_reaches_every_link_with_visible_focus(demo, page, path):
    page.goto(path)
    focusables = page.evaluate(SNAPSHOT_FOCUSABLES)

    stops = tab_through(page, limit=len(focusables) + 5)

    assert stops, "Tab never moved focus into the page"
    assert "nhsuk-skip-link" in stops[0]["className"], f"first Tab reached {stops[0]['label']}"
    reached = {stop["index"] for stop in stops}
    missed = [
        f["label"] for f in focusables if f["isLink"] and f["visible"] and f["index"] not in reached
    ]
    assert missed == [], "links never reached by Tab"
    unmarked = [stop["label"] for stop in stops if not stop["indicated"]]
    assert unmarked == [], "focus not visibly indicated"


@pytest.mark.parametrize("path", KEYBOARD_PAGES.values(), ids=KEYBOARD_PAGES.keys())
def test_skip_link_moves_focus_to_main_content(demo, page, path):
    page.set_viewport_size({"width": 1280, "height": 400})  # the main content starts below the fold
    page.goto(path)
    page.keyboard.press("Tab")

    page.keyboard.press("Enter")

    assert page.evaluate("location.hash") == "#maincontent"
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
    assert focused.startswith('<main class="nhsuk-main-wrapper'), f"focus is on {focused}"
    top = page.evaluate("document.getElementById('maincontent').getBoundingClientRect().top")
    assert 0 <= top < 400, f"#maincontent is {top}px from the top of the window"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('maincontent').contains(document.activeElement)")
