"""The organiser console end to end (issue 14's acceptance), in a real browser with a real
SMTP server: a person a superuser allowed to create events creates one, copies an earlier
event (with its sessions) into a new one, invites a reviewer and a judge to it (each
accepts from the link in their email), writes to everyone registered for one session (the
preview shows the placeholders filled for one real person), sees it in the sent log, and
the activity log shows every step. axe checks the console's pages on the way."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from convene.attendance import services as attendance_services
from convene.core.models import AuditEntry
from convene.events.models import Event, EventRole, Session
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.conftest import IMMEDIATE_TASKS
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct horse battery"


def _person(email: str, name: str, *, can_create_events: bool = False):
    user = UserFactory(email=email, name=name, can_create_events=can_create_events)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def earlier(transactional_db, settings, smtp_mailer, live_server):
    """Last year's event, organised by Cat (allowed to create events, not a superuser)."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.SITE_URL = live_server.url
    cat = _person("cat@example.org", "Cat Creator", can_create_events=True)
    event = Event.objects.create(
        slug="spread-2030",
        title="Spread 2030",
        start_date=date(2030, 5, 11),
        end_date=date(2030, 5, 11),
        status=Event.Status.PUBLISHED,
        programme_published=True,
    )
    Session.objects.create(
        event=event,
        slug="scale-up",
        title="Scaling up what works",
        start=datetime(2030, 5, 11, 10, 0, tzinfo=LONDON),
        end=datetime(2030, 5, 11, 11, 0, tzinfo=LONDON),
        capacity=20,
    )
    EventRole.objects.create(event=event, user=cat, role=EventRole.Role.ORGANISER)
    return cat


def _axe(page: Page, axe_source: str) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def _accept(browser, live_server, mailer, email: str, role: str) -> None:
    [invitation] = [m for m in mailer.messages if m.to == [email] and "invited" in m.subject]
    page = browser.new_context(base_url=live_server.url).new_page()
    page.goto(invitation.links[0])
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=f"Accept and become a {role}").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        f"You are now a {role} of Spread 2031."
    )
    page.context.close()


def test_a_creator_sets_up_an_event_appoints_its_team_writes_to_a_session_and_sees_the_log(
    earlier, browser, live_server, smtp_mailer, axe_source
):
    cat = earlier
    _person("ravi@example.org", "Ravi Reviewer")
    _person("jo@example.org", "Jo Judge")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    sign_in(context, cat, live_server.url)
    page = context.new_page()

    # 1. Create an event (the web address follows the title).
    page.goto("/orga/new/")
    page.get_by_label("Title").press_sequentially("Spread festival")
    expect(page.get_by_label("Web address")).to_have_value("spread-festival")
    page.get_by_label("First day").fill("2031-06-01")
    page.get_by_label("Last day").fill("2031-06-01")
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Event settings")

    # 2. Copy last year's event, with its sessions, into a new one.
    page.goto("/orga/new/copy/")
    page.get_by_label("Copy this event").select_option(label="Spread 2030")
    page.get_by_label("Title of the new event").press_sequentially("Spread 2031")
    page.get_by_label("First day").fill("2031-05-10")
    page.get_by_label("Copy the sessions too, moved to the new dates").check()
    page.get_by_role("button", name="Copy the event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Event settings")
    copy = Event.objects.get(slug="spread-2031")
    session = copy.sessions.get(slug="scale-up")
    assert session.start == datetime(2031, 5, 10, 10, 0, tzinfo=LONDON)

    # 3. Invite a reviewer and a judge; each accepts from the emailed link.
    page.goto("/orga/spread-2031/team/")
    for email, role in [("ravi@example.org", "Reviewer"), ("jo@example.org", "Judge")]:
        page.get_by_label("Email address").fill(email)
        page.get_by_label(role, exact=True).check()
        page.get_by_role("button", name="Send invitation").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            f"Invitation sent to {email}"
        )
    _axe(page, axe_source)
    _accept(browser, live_server, smtp_mailer, "ravi@example.org", "reviewer")
    _accept(browser, live_server, smtp_mailer, "jo@example.org", "judge")
    assert set(copy.roles.values_list("user__email", "role")) == {
        ("cat@example.org", "organiser"),
        ("ravi@example.org", "reviewer"),
        ("jo@example.org", "judge"),
    }

    # 4. Two people register and book the session; Cat writes to them.
    for email, name in [("ann@example.org", "Ann Ahmed"), ("bo@example.org", "Bo Brown")]:
        registration = attendance_services.registration_create(
            event=copy, user=UserFactory(email=email, name=name)
        )
        attendance_services.booking_create(registration=registration, session=session)
    smtp_mailer.messages.clear()
    page.goto(f"/orga/spread-2031/messages/new/?group=session_registrants&sessions={session.pk}")
    page.get_by_label("Their booking or their part in the event", exact=False).check()
    page.get_by_label("Subject").fill("About {session}")
    page.get_by_label("Message", exact=True).fill("Hello {name}, see you at {event}.")
    page.get_by_role("button", name="Preview the message").click()
    expect(page.locator("#recipient-count")).to_have_text("2 people")
    expect(page.locator("#preview-subject")).to_have_text("About Scaling up what works")
    expect(page.locator("#preview-body")).to_contain_text(
        "Hello Ann Ahmed, see you at Spread 2031."
    )
    _axe(page, axe_source)
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_text("Your message is on its way to 2 people.")).to_be_visible()

    # 5. The sent log has it, both sent; each person got one email with their name.
    page.get_by_role("link", name="Messages", exact=True).click()
    row = page.locator("tbody tr", has_text="About {session}")
    expect(row.locator("td").nth(4)).to_have_text("2")
    assert sorted((m.to[0], m.body.splitlines()[0]) for m in smtp_mailer.messages) == [
        ("ann@example.org", "Hello Ann Ahmed, see you at Spread 2031."),
        ("bo@example.org", "Hello Bo Brown, see you at Spread 2031."),
    ]

    # 6. The activity logs show every step, each by the person who took it.
    page.goto("/orga/spread-2031/log/")
    _axe(page, axe_source)
    log = page.locator("table tbody")
    for text in [
        "Copied the event from an earlier one",
        "Invited someone to the team: ravi@example.org as reviewer",
        "Invited someone to the team: jo@example.org as judge",
        "Sent a message to a group",
    ]:
        expect(log).to_contain_text(text)
    expect(log.locator("tr", has_text="Accepted a team invitation")).to_have_count(2)
    steps = list(
        AuditEntry.objects.filter(event_id=copy.pk)
        .order_by("id")
        .values_list("actor_name", "action")
    )
    # A copy is a new event (created) made from an earlier one (copied, with what was copied).
    assert [action for _, action in steps] == [
        "events.event_created",
        "events.event_copied",
        "events.team_invited",
        "events.team_invited",
        "events.team_invitation_accepted",
        "events.team_invitation_accepted",
        "console.message_sent",
    ]
    assert [name for name, _ in steps] == [
        "Cat Creator", "Cat Creator", "Cat Creator", "Cat Creator", "Ravi Reviewer", "Jo Judge",
        "Cat Creator",
    ]  # fmt: skip
    created = Event.objects.get(slug="spread-festival")
    assert list(
        AuditEntry.objects.filter(event_id=created.pk).values_list("actor_name", "action")
    ) == [("Cat Creator", "events.event_created")]
    context.close()
