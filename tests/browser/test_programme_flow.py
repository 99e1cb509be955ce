"""The programme issue's acceptance, end to end in a real browser:
an organiser creates a session, schedules it into a clash, sees the warning,
moves it (htmx, no page reload), publishes; an attendee then finds it on the
programme and downloads its calendar file."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect

from convene.events.models import Event, EventRole, Host, Room, Session
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def spread_week(transactional_db, browser):
    event = Event.objects.create(
        slug="spread-week",
        title="Spread week",
        start_date=date(2030, 6, 10),
        end_date=date(2030, 6, 11),
        status=Event.Status.PUBLISHED,
        programme_published=False,
    )
    room = Room.objects.create(event=event, name="Main stage")
    existing = Session.objects.create(
        event=event,
        title="Opening plenary",
        slug="opening",
        kind=Session.Kind.PLENARY,
        start=datetime(2030, 6, 10, 10, 0, tzinfo=LONDON),
        end=datetime(2030, 6, 10, 11, 0, tzinfo=LONDON),
        room=room,
        join_url="https://teams.example.org/opening",
    )
    Host.objects.create(session=existing, guest_name="Diane Ketley")
    organiser = UserFactory(email="orga@example.org", name="Olu Organiser")
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    return event, organiser


def test_organiser_builds_and_publishes_and_attendee_downloads_the_ics(
    spread_week, browser, live_server, tmp_path, axe_source
):
    _event, organiser = spread_week
    orga_context = browser.new_context(base_url=live_server.url)
    sign_in(orga_context, organiser, live_server.url)
    page = orga_context.new_page()

    # Create a session in the same room and hour as the opening plenary.
    page.goto("/orga/spread-week/sessions/new/")
    page.get_by_label("Title").fill("Top tips clinic")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Day").fill("2030-06-10")
    page.get_by_label("Starts at").fill("10:30")
    page.get_by_label("Ends at").fill("11:15")
    page.get_by_label("Room (optional)").select_option(label="Main stage")
    page.get_by_label("Join link (optional)").fill("https://teams.example.org/clinic")
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Top tips clinic”")

    # The page it lands on says what the save caused, with links to fix it.
    clash = "“Opening plenary” and “Top tips clinic” overlap in Main stage."
    callout = page.locator("#session-problems")
    expect(callout.locator(".convene-problem")).to_have_text(
        [clash, "“Top tips clinic” has no host."]
    )
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)

    # The grid warns about the clash.
    page.goto("/orga/spread-week/")
    expect(page.locator("#programme-grid")).to_contain_text(clash)

    # Move it with the grid's inline form (htmx): the page is not reloaded.
    page.evaluate("window.__sameDocument = true")
    session = Session.objects.get(title="Top tips clinic")
    card = page.locator(f"#session-{session.pk}")
    card.get_by_role("link", name="Move Top tips clinic").click()
    card.get_by_label("Starts at").fill("11:00")
    card.get_by_label("Ends at").fill("11:45")
    card.get_by_role("button", name="Move session").click()
    expect(page.locator("#programme-grid")).to_contain_text("“Top tips clinic” moved.")
    expect(page.locator("#programme-grid")).not_to_contain_text(clash)
    assert page.evaluate("window.__sameDocument") is True

    # Publish.
    page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_role("status").first).to_contain_text("The programme is published.")
    expect(page.get_by_role("button", name="Hide the programme from the public")).to_be_visible()
    orga_context.close()

    # An attendee with no account finds it and downloads its calendar file.
    visitor = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = visitor.new_page()
    page.goto("/events/spread-week/programme/")
    page.get_by_role("link", name="Top tips clinic").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Top tips clinic")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add this session to your calendar").click()
    path = tmp_path / "session.ics"
    download_info.value.save_as(path)
    visitor.close()

    (vevent,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(vevent["summary"]) == "Top tips clinic"
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2030, 6, 10, 10, 0, tzinfo=UTC)
    assert vevent["sequence"] == 1
