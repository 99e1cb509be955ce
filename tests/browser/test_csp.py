"""No page needs inline script or style, and the browser reports no
Content-Security-Policy violation, script error or failed load on any page."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest

from tests.browser.pages import PAGES

pytestmark = pytest.mark.browser

# Injected by DevTools before the page's own scripts, so the CSP does not apply to it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style>, style="" and on*=""."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        self.found.extend(
            f'{name}="" on <{tag}> at line {self.getpos()[0]}'
            for name in sorted(names)
            if name == "style" or name.startswith("on")
        )


@pytest.mark.parametrize("demo_page", PAGES, ids=[p.id for p in PAGES])
def test_page_has_no_inline_code_or_csp_violations(demo, visit, page, demo_page):
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and console_errors.append(message.text),
    )
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.add_init_script(RECORD_CSP_VIOLATIONS)

    response = visit(demo_page)
    page.evaluate("document.fonts.ready.then(() => true)")  # late font loads report too

    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    finder = InlineCodeFinder()
    finder.feed(response.text())
    assert finder.found == []
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], "\n".join(violations)
    assert page_errors == []
    if demo_page.status >= 400:
        # Chromium logs the page's own error status as a failed resource load.
        reason = HTTPStatus(demo_page.status).phrase
        console_errors.remove(
            "Failed to load resource: the server responded with a status of "
            f"{demo_page.status} ({reason})"
        )
    assert console_errors == []
