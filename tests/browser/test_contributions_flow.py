"""The contributions issue's acceptance, end to end in a real browser.

In the session's live chat room an attendee saves one of her messages as a top
tip and marks another as a question (the room's per-message actions); another
attendee votes for both on the session's board (htmx, no reload); after the
session the host answers the question in the questions queue; the session page
then shows the answer under "Questions we didn't have time for", and the asker
gets exactly one email, through a real SMTP server.

The room runs on pytest-django's live server (WSGI), so it uses live's
fallback transport (Server-Sent Events polling + POST), which carries the same
commands as the WebSocket.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from convene.attendance import services as attendance_services
from convene.contributions.models import Contribution
from convene.events.models import Event, EventRole, Host, Session
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.browser.test_csp import RECORD_CSP_VIOLATIONS
from tests.conftest import IMMEDIATE_TASKS
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

TIP = "Find the people already doing it and let them tell the story."
QUESTION = "How do we keep an improvement going after the project team moves on?"
ANSWER = "Build it into **everyday routines** before the team steps back."


@pytest.fixture
def conversation(transactional_db, browser, settings, smtp_mailer):
    """A session happening now, its host, and two registered attendees."""
    settings.TASKS = IMMEDIATE_TASKS
    today = timezone.localdate()
    event = Event.objects.create(
        slug="spread-day",
        title="Spread day",
        start_date=today,
        end_date=today + timedelta(days=1),
        status=Event.Status.PUBLISHED,
        programme_published=True,
    )
    now = timezone.now().replace(microsecond=0)
    session = Session.objects.create(
        event=event,
        slug="top-tips",
        title="What is your top tip to enable spread?",
        start=now - timedelta(minutes=10),
        end=now + timedelta(minutes=50),
    )
    host = UserFactory(email="hana@example.org", name="Hana Host")
    EventRole.objects.create(event=event, user=host, role=EventRole.Role.HOST)
    Host.objects.create(session=session, user=host, role=Host.Role.HOST)
    ada = UserFactory(email="ada@example.org", name="Ada Attendee")
    ben = UserFactory(email="ben@example.org", name="Ben Voter")
    for person in (ada, ben):
        attendance_services.registration_create(event=event, user=person)
    smtp_mailer.messages.clear()  # registration confirmations: attendance's emails
    return {"event": event, "session": session, "host": host, "ada": ada, "ben": ben}


def _page(browser, live_server, user=None) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    if user is not None:
        sign_in(context, user, live_server.url)
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    return page


def _say_and_act(room: Page, text: str, action: str, confirmation: str) -> None:
    box = room.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")
    message = room.locator("[data-messages] > li", has_text=text)
    expect(message).to_have_attribute(
        "data-id", re.compile(r"\d+"), timeout=15_000
    )  # stored: has an id
    message.locator("summary").click()
    message.get_by_role("button", name=action).click()
    expect(room.locator("[data-announcer]")).to_have_text(confirmation, timeout=15_000)


def test_tip_and_question_from_the_room_votes_answer_and_one_email(
    browser,
    live_server,
    conversation,
    smtp_mailer,
    axe_source,
):
    session, ada = conversation["session"], conversation["ada"]
    base = "/events/spread-day/sessions/top-tips"

    # 1. Ada, in the chat room: a tip and a question, each saved with one click.
    room = _page(browser, live_server, ada)
    room.goto(f"{base}/chat/")
    _say_and_act(room, TIP, "Save as top tip", "Saved as a top tip on the session's board.")
    _say_and_act(
        room,
        QUESTION,
        "Save on the board as a question for the hosts",
        "Added to the hosts' questions on the session's board.",
    )
    tip = Contribution.objects.get(kind="tip")
    question = Contribution.objects.get(kind="question")
    assert (tip.text, tip.author, tip.session) == (TIP, ada, session)
    assert (question.text, question.author) == (QUESTION, ada)
    assert tip.source_message_id
    assert question.source_message_id
    assert room.evaluate("window.__cspViolations") == []

    # 2. Ben votes for both on the board, without a page load (htmx).
    board = _page(browser, live_server, conversation["ben"])
    board.goto(f"{base}/top-tips/")
    board.evaluate("window.__sameDocument = true")
    for item in (tip, question):
        card = board.locator(f"#contribution-{item.pk}")
        card.get_by_role("button", name="Vote").click()
        expect(card.locator(f"#votes-{item.pk}")).to_have_text("1 vote")
        expect(card.get_by_role("button", name="Take back my vote")).to_be_visible()
    assert board.evaluate("window.__sameDocument") is True
    expect(board.locator(f"#contribution-{tip.pk}").get_by_role("link", name="From the chat"))
    blocking = [v for v in run_axe(board, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)

    # 3. After the session, the host answers the question from the queue.
    Session.objects.filter(pk=session.pk).update(
        start=session.start - timedelta(hours=3), end=session.start - timedelta(hours=2)
    )
    hosting = _page(browser, live_server, conversation["host"])
    hosting.goto(f"{base}/questions/")
    queue = hosting.locator("table")
    expect(queue).to_contain_text(QUESTION)
    expect(queue.locator("td.nhsuk-table__cell--numeric")).to_have_text("1")
    queue.get_by_role("link", name="Answer").click()
    hosting.get_by_label("Your answer").fill(ANSWER)
    hosting.get_by_role("button", name="Publish the answer").click()
    expect(hosting.locator("main")).to_contain_text("The answer is published.")
    expect(hosting.locator("main")).to_contain_text("No questions are waiting.")

    # 4. The session page shows the answer; Ada got exactly one email.
    visitor = _page(browser, live_server)
    visitor.goto(f"{base}/")
    answers = visitor.locator("#questions-answered ~ .nhsuk-card")
    expect(visitor.get_by_role("heading", name="Questions we didn't have time for")).to_be_visible()
    expect(answers).to_contain_text(QUESTION)
    expect(answers.locator("strong", has_text="everyday routines")).to_be_visible()
    [email] = smtp_mailer.messages
    assert email.to == ["ada@example.org"]
    # strip(): Python folds a long Subject onto its own line; unfolding keeps the space.
    assert email.subject.strip() == f"Your question has been answered: {session.title}"
    assert QUESTION in email.body
    assert email.links == [f"http://127.0.0.1:8000{base}/#questions-answered"]
    for page in (board, hosting, visitor):
        assert page.evaluate("window.__cspViolations") == []


def test_author_pages_pass_axe_and_csp(browser, live_server, conversation, axe_source):
    ada, session = conversation["ada"], conversation["session"]
    from convene.contributions import services

    mine = services.contribution_create(
        author=ada, event=session.event, session=session, kind="question", text="Mine?"
    )
    page = _page(browser, live_server, ada)

    for path in (
        f"/contributions/{mine.pk}/edit/",
        f"/contributions/{mine.pk}/delete/",
        "/events/spread-day/top-tips/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
        assert not blocking, f"{path}:\n{describe(blocking)}"
        assert page.evaluate("window.__cspViolations") == []

    # A form with an error (error summary and messages) passes too.
    page.goto(f"/contributions/{mine.pk}/edit/")
    page.get_by_label("Your top tip, idea or question").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write your top tip")
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
