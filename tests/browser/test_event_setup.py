"""Setting events up in a real browser (issue 14, point 1): a person a superuser allowed
creates an event, the web address filled in from the title by slug.mjs, and copies an
earlier event with its sessions; axe checks each page on the way."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from convene.core.timeutil import in_zone
from convene.events.models import Event, EventRole, Session
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.events.interchange.conftest import SAMPLE_JSON

pytestmark = pytest.mark.browser

BIG = "big-conversation-2022"


@pytest.fixture
def creator(demo, member):
    """The member, allowed to create events, organiser of the demo's Big Conversation."""
    member.can_create_events = True
    member.save()
    EventRole.objects.create(
        event=Event.objects.get(slug=BIG), user=member, role=EventRole.Role.ORGANISER
    )
    return member


def _no_blocking_violations(page, axe_source: str) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_a_creator_creates_an_event_with_the_slug_filled_in_then_copies_an_earlier_one(
    creator, context, page, live_server, axe_source
):
    sign_in(context, creator, live_server.url)

    # Create: the web address follows the title until the person types in it.
    page.goto("/")
    page.get_by_role("link", name="Create an event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an event")
    _no_blocking_violations(page, axe_source)
    title, slug = page.get_by_label("Title"), page.get_by_label("Web address")
    title.press_sequentially("Spread & Adoption: Día 1")
    expect(slug).to_have_value("spread-adoption-dia-1")
    slug.fill("spread-day")
    title.fill("Spread and adoption festival")
    expect(slug).to_have_value("spread-day")  # edited: left alone
    slug.fill("")
    title.fill("Spread and adoption festival 2031")
    expect(slug).to_have_value("spread-and-adoption-festival-2031")  # cleared: follows again
    page.get_by_label("First day").fill("2031-05-11")
    page.get_by_label("Last day").fill("2031-05-12")
    page.get_by_label("Hybrid").check()
    page.get_by_role("button", name="Create the event").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Event settings")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        "Organise Spread and adoption festival 2031"
    )
    created = Event.objects.get(slug="spread-and-adoption-festival-2031")
    assert (created.format, created.status, created.start_date) == (
        "hybrid",
        "draft",
        date(2031, 5, 11),
    )
    assert set(created.roles.values_list("user", "role")) == {(creator.pk, "organiser")}
    _no_blocking_violations(page, axe_source)

    # Copy the demo's Big Conversation, with its sessions, into a new event.
    page.get_by_role("link", name="Copy this event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy an event")
    _no_blocking_violations(page, axe_source)
    page.get_by_label("Copy this event").select_option(
        label="The Big Conversation for Improvement 2022"
    )
    page.get_by_label("Title of the new event").press_sequentially("Big Conversation 2031")
    expect(page.get_by_label("Web address")).to_have_value("big-conversation-2031")
    page.get_by_label("First day").fill("2031-05-20")
    page.get_by_label("Copy the sessions too, moved to the new dates").check()
    page.get_by_role("button", name="Copy the event").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Event settings")
    expect(page.get_by_role("alert")).to_contain_text(
        "is created from “The Big Conversation for Improvement 2022”"
    )
    source = Event.objects.get(slug=BIG)
    copy = Event.objects.get(slug="big-conversation-2031")
    assert copy.end_date - copy.start_date == source.end_date - source.start_date
    originals = source.sessions.filter(status=Session.Status.SCHEDULED).order_by("start", "slug")
    copies = copy.sessions.order_by("start", "slug")
    shift = timedelta(days=(copy.start_date - source.start_date).days)
    assert [(s.slug, in_zone(s.start, copy.tz).time()) for s in copies] == [
        (s.slug, in_zone(s.start, source.tz).time()) for s in originals
    ]
    assert all(
        in_zone(c.start, copy.tz).date() == in_zone(o.start, source.tz).date() + shift
        for c, o in zip(copies, originals, strict=True)
    )
    assert not copy.sessions.exclude(join_url="").exists()


def test_a_creator_imports_a_pretalx_schedule_into_a_new_event(
    creator, context, page, live_server, axe_source, tmp_path
):
    sign_in(context, creator, live_server.url)
    upload = tmp_path / "democon-schedule.json"
    upload.write_bytes(SAMPLE_JSON.read_bytes())

    page.goto("/orga/new/import/")
    _no_blocking_violations(page, axe_source)
    page.get_by_label("Schedule file").set_input_files(upload)
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the new event from democon-schedule.json"
    )
    assert not Event.objects.filter(slug="democon").exists()
    _no_blocking_violations(page, axe_source)
    page.get_by_role("button", name="Confirm import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Event settings")
    event = Event.objects.get(slug="democon")
    assert (event.title, event.time_zone, event.sessions.count()) == (
        "DemoCon",
        "Europe/Berlin",
        36,
    )
