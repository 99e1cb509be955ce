"""Messages to groups, end to end in a real browser (issue 14's acceptance, its messages
part): from a session's attendance page an organiser writes to everyone registered for
that session, the preview shows the placeholders filled in for one real person (and for
another one chosen), the message is sent, appears in the sent log and the activity log,
and each person gets exactly one email, through a real SMTP server. axe checks every
page on the way, and the browser reports no CSP violation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from convene.attendance import services as attendance_services
from convene.console.models import GroupMessage
from convene.events.models import Event, EventRole, Session
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.browser.test_csp import RECORD_CSP_VIOLATIONS
from tests.conftest import IMMEDIATE_TASKS
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SUBJECT = "See you at {session}"
BODY = "Hello {name},\n\nYour session: {session_link}\n{join_link}"


@pytest.fixture
def workshop(transactional_db, browser, settings, smtp_mailer):
    """A workshop next week with two people booked; a third is registered but not booked."""
    settings.TASKS = IMMEDIATE_TASKS
    today = timezone.localdate()
    event = Event.objects.create(
        slug="spread-day",
        title="Spread day",
        start_date=today,
        end_date=today + timedelta(days=10),
        status=Event.Status.PUBLISHED,
        programme_published=True,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    session = Session.objects.create(
        event=event,
        slug="workshop",
        title="Spreading what works",
        start=start,
        end=start + timedelta(hours=1),
        capacity=10,
        join_url="https://teams.example.org/meet/secret",
    )
    organiser = UserFactory(email="olu@example.org", name="Olu Organiser")
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    for email, name, booked in [
        ("bo@example.org", "Bo Brown", True),
        ("ann@example.org", "Ann Ahmed", True),
        ("cy@example.org", "Cy Clark", False),
    ]:
        registration = attendance_services.registration_create(
            event=event, user=UserFactory(email=email, name=name)
        )
        if booked:
            attendance_services.booking_create(registration=registration, session=session)
    smtp_mailer.messages.clear()  # registration confirmations: attendance's emails
    return event, session, organiser


def _checked_by_axe(page: Page, axe_source: str) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_organiser_messages_a_sessions_people_previews_sends_and_sees_it_logged(
    workshop, browser, live_server, axe_source, smtp_mailer, settings
):
    event, session, organiser = workshop
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    sign_in(context, organiser, live_server.url)
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)

    # 1. From the session's attendance page to the compose page, the session chosen.
    page.goto(f"/orga/{event.slug}/attendance/{session.pk}/")
    page.get_by_role("link", name=f"Write to everyone registered for {session.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a message")
    expect(
        page.get_by_label("People registered for chosen sessions (with a place or waiting)")
    ).to_be_checked()
    expect(page.get_by_label(session.title, exact=False)).to_be_checked()
    _checked_by_axe(page, axe_source)

    # 2. Write it, with placeholders, and preview it.
    page.get_by_label("Their booking or their part in the event", exact=False).check()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message", exact=True).fill(BODY)
    page.get_by_role("button", name="Preview the message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the message")
    expect(page.locator("#recipient-count")).to_have_text("2 people")
    expect(page.locator("#preview-subject")).to_have_text(f"See you at {session.title}")
    preview = page.locator("#preview-body")
    expect(preview).to_contain_text("Hello Ann Ahmed,")  # the first by name
    expect(preview).to_contain_text(f"{settings.SITE_URL}/events/spread-day/sessions/workshop/")
    expect(preview).to_contain_text("The join link for Spreading what works will be on its page")
    assert "{name}" not in preview.inner_text()
    assert GroupMessage.objects.count() == 0
    assert smtp_mailer.messages == []
    _checked_by_axe(page, axe_source)

    # 3. The same email for the other person.
    page.get_by_label("Show the email of").select_option("bo@example.org")
    page.get_by_role("button", name="Show this person's email").click()
    expect(page.locator("#preview-body")).to_contain_text("Hello Bo Brown,")

    # 4. Send: the message's page says it is on its way.
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(page.get_by_text("Your message is on its way to 2 people.")).to_be_visible()
    _checked_by_axe(page, axe_source)

    # 5. The sent log has it, with both emails sent.
    page.get_by_role("link", name="Messages", exact=True).click()
    row = page.locator("tbody tr", has_text=SUBJECT)
    expect(row).to_contain_text("People registered for chosen sessions")
    expect(row).to_contain_text(session.title)
    expect(row).to_contain_text("Olu Organiser")
    expect(row.locator("td").nth(4)).to_have_text("2")  # sent
    _checked_by_axe(page, axe_source)

    # 6. The activity log shows the step.
    page.get_by_role("link", name="Activity log").click()
    expect(page.locator("tbody tr").first).to_contain_text("Sent a message to a group")

    # 7. Each person got exactly one email, with their own name.
    received = sorted((m.to[0], m.subject, m.body.splitlines()[0]) for m in smtp_mailer.messages)
    assert received == [
        ("ann@example.org", f"See you at {session.title}", "Hello Ann Ahmed,"),
        ("bo@example.org", f"See you at {session.title}", "Hello Bo Brown,"),
    ]
    assert all("secret" not in m.body for m in smtp_mailer.messages)
    assert page.evaluate("window.__cspViolations") == []
    context.close()
