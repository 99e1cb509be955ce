"""axe-core finds no serious or critical accessibility problem on any page.

axe is injected through DevTools (`page.evaluate`), which the page's
Content-Security-Policy does not govern, so the page is checked exactly as
visitors get it: same CSP, no bypass.
"""

import pytest

from tests.browser.pages import PAGES

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def run_axe(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    assert page.evaluate("typeof window.axe?.run") == "function", "axe-core did not load"
    results = page.evaluate(
        """tags => axe.run(document, {
          runOnly: {type: "tag", values: tags},
          resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
    return "\n".join(lines)


@pytest.mark.parametrize("demo_page", PAGES, ids=[p.id for p in PAGES])
def test_page_has_no_serious_accessibility_violations(demo, visit, page, axe_source, demo_page):
    visit(demo_page)

    violations = run_axe(page, axe_source)

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {demo_page.path}:\n{describe(blocking)}"


def test_axe_runs_under_the_pages_csp_and_reports_problems(demo, page, axe_source):
    page.goto("/")
    inline_ran = page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.head.append(script);
      return window.__inlineRan === true;
    }""")
    page.evaluate("""() => {
      const image = document.createElement("img");
      image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.getElementById("maincontent").append(image);
    }""")

    violations = run_axe(page, axe_source)

    assert inline_ran is False, "the page's CSP is not in force"
    assert [v["id"] for v in violations if v["impact"] in BLOCKING] == ["image-alt"]
