"""After a registration form is sent, focus moves to the answer: the error
summary when it is refused, the success banner when it is accepted (NHS.UK
frontend focuses both on load), so a screen reader hears it first. Closed
registration offers no form at all."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe

pytestmark = pytest.mark.browser

UPCOMING = "/events/spread-and-adoption-conversation/"
FOCUSED = "document.activeElement.className"


def _no_blocking_violations(page, axe_source):
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_a_refused_registration_focuses_the_error_summary(demo, page, axe_source):
    page.goto(f"{UPCOMING}register/")

    page.get_by_role("button", name="Register").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your full name")
    assert page.evaluate(FOCUSED) == "nhsuk-error-summary"
    _no_blocking_violations(page, axe_source)


def test_an_accepted_registration_focuses_the_success_banner(demo, page, axe_source):
    page.goto(f"{UPCOMING}register/")
    page.get_by_label("Full name").fill("Sam Seeker")
    page.get_by_label("Email address").fill("sam@example.org")

    page.get_by_role("button", name="Register").click()

    banner = page.get_by_role("alert")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text("We have sent an email to sam@example.org.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    _no_blocking_violations(page, axe_source)


def test_one_click_registration_focuses_the_success_banner(
    demo, member, context, live_server, page, axe_source
):
    sign_in(context, member, live_server.url)
    page.goto(UPCOMING)

    page.get_by_role("button", name="Register for this event").click()

    banner = page.get_by_role("alert")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text("You are registered for")
    assert page.url.endswith(UPCOMING)
    _no_blocking_violations(page, axe_source)


def test_the_past_event_offers_no_registration(demo, page, axe_source):
    page.goto("/events/big-conversation-2022/")

    expect(page.get_by_text("This event has ended: registration is closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Register for this event")).to_have_count(0)
    expect(page.get_by_role("link", name="Register for this event")).to_have_count(0)

    page.goto("/events/big-conversation-2022/register/")

    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "This event has ended: registration is closed."
    )
    expect(page.get_by_role("button", name="Register")).to_have_count(0)
    _no_blocking_violations(page, axe_source)
