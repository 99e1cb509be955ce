"""Importing a schedule with the keyboard only: upload, check the preview (axe), change a
session type's kind, confirm, read the result (axe). Nothing is imported before the
confirmation (issue 11, point 10)."""

from collections import Counter
from datetime import date

import pytest
from playwright.sync_api import expect

from convene.events.models import Event, EventRole, ImportPreview
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.events.interchange.conftest import SAMPLE_JSON
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def democon(transactional_db, browser):
    event = Event.objects.create(
        slug="democon",
        title="DemoCon",
        start_date=date(2026, 11, 25),
        end_date=date(2026, 11, 27),
        status=Event.Status.PUBLISHED,
    )
    organiser = UserFactory(email="orga@example.org", name="Olu Organiser")
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    return event, organiser


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _no_blocking_violations(page, axe_source: str) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_organiser_previews_changes_a_kind_and_confirms_with_the_keyboard(
    democon, browser, live_server, axe_source, tmp_path
):
    event, organiser = democon
    context = browser.new_context(base_url=live_server.url)
    sign_in(context, organiser, live_server.url)
    page = context.new_page()
    upload = tmp_path / "democon-schedule.json"
    upload.write_bytes(SAMPLE_JSON.read_bytes())

    # Upload: the file input is reached with Tab; the file chooser itself is the
    # operating system's, so the file is given to the focused input.
    page.goto("/orga/democon/import/")
    _tab_to(page, "#id_file")
    page.locator("#id_file").set_input_files(upload)
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # The preview: counts, the titles behind a details element, one kind per type.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the import of democon-schedule.json"
    )
    expect(page.locator(".nhsuk-summary-list__value").first).to_have_text(
        "36 to create, 0 to update, 0 unchanged"
    )
    assert event.sessions.count() == 0
    assert ImportPreview.objects.count() == 1
    _no_blocking_violations(page, axe_source)
    _tab_to(page, ".nhsuk-details__summary")
    page.keyboard.press("Enter")
    expect(page.locator("details").first.locator("li").first).to_have_text(
        "Multi-channeled multi-state monitoring"
    )
    _no_blocking_violations(page, axe_source)

    # "Talk" becomes a tweet chat instead of a plenary, chosen with the arrow keys.
    _tab_to(page, "#id_kind_0")
    expect(page.locator("#id_kind_0")).to_have_value("plenary")
    while page.locator("#id_kind_0").input_value() != "tweet_chat":
        page.keyboard.press("ArrowDown")
    _tab_to(page, "button[value=confirm]")
    page.keyboard.press("Enter")

    # The result.
    expect(page.locator(".nhsuk-notification-banner__heading")).to_have_text(
        "democon-schedule.json (pretalx JSON) was imported into the programme."
    )
    _no_blocking_violations(page, axe_source)
    assert dict(Counter(event.sessions.values_list("kind", flat=True))) == {
        "tweet_chat": 27,
        "workshop": 9,
    }
    assert ImportPreview.objects.count() == 0
    context.close()
