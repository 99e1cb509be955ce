"""Pages work with JavaScript switched off: the programme lists the sessions and
its type filter is a plain form that submits and filters; the chat room says it is
a snapshot (with a Refresh link), sends with a plain form and shows what was sent,
and its host tools say they need JavaScript."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from convene.attendance import services as attendance_services
from convene.events.models import EventRole, Host, Session
from convene.live import services as live_services
from convene.live.models import Message
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.browser

PROGRAMME = "/events/big-conversation-2022/programme/"


@pytest.fixture
def page_without_js(browser: Browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _titles(event_slug: str, **filters) -> list[str]:
    sessions = Session.objects.filter(event__slug=event_slug, **filters)
    return sorted(sessions.values_list("title", flat=True))


def test_programme_lists_sessions_without_javascript(demo, page_without_js):
    page = page_without_js

    page.goto(PROGRAMME)

    assert page.locator("body.js-enabled").count() == 0, "JavaScript ran"
    shown = page.locator(".convene-programme__title").all_inner_texts()
    assert sorted(shown) == _titles("big-conversation-2022")


def test_programme_filter_submits_and_filters_without_javascript(demo, page_without_js):
    page = page_without_js
    page.goto(PROGRAMME)

    page.get_by_label("Show sessions of type").select_option("open_conversation")
    page.locator("form[method=get] [type=submit]").click()

    page.wait_for_url(lambda url: "kind=open_conversation" in url)
    shown = page.locator(".convene-programme__title").all_inner_texts()
    assert sorted(shown) == _titles("big-conversation-2022", kind=Session.Kind.OPEN_CONVERSATION)
    assert len(shown) == 3
    assert page.get_by_label("Show sessions of type").input_value() == "open_conversation"


# --- The chat room: a snapshot that says so ----------------------------------------------


@pytest.fixture
def chat(transactional_db, browser):
    """A session's room with a pinned prompt and 40 messages (more than its box shows)."""
    event = EventFactory(slug="spread-day", title="Spread day")
    session = SessionFactory(event=event, slug="top-tips", title="Top tips")
    host = UserFactory(email="hana@example.org", name="Hana Host")
    EventRole.objects.create(event=event, user=host, role=EventRole.Role.HOST)
    Host.objects.create(session=session, user=host, role=Host.Role.HOST)
    ada = UserFactory(email="ada@example.org", name="Ada Attendee")
    attendance_services.registration_create(event=event, user=ada)
    room = live_services.room_ensure(session=session)
    prompt, _ = live_services.prompt_post(
        room=room, author=host, text="What would you try first?", client_id="prompt-first"
    )
    for n in range(1, 41):
        live_services.message_import(
            room=room,
            author_name="Ann Earlier",
            badge="",
            text=f"Earlier message {n}",
            client_id=f"earlier-{n:04d}",
            created_at=timezone.now() - timedelta(minutes=41 - n),
        )
    return {"session": session, "host": host, "ada": ada, "prompt": prompt}


def _room_without_js(browser, live_server, user) -> Page:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    sign_in(context, user, live_server.url)
    page = context.new_page()
    page.goto("/events/spread-day/sessions/top-tips/chat/")
    return page


def _axe_without_scripts(browser, live_server, user, axe_source) -> list[dict]:
    """axe on the room as it is without JavaScript. axe itself needs scripts (its
    timers never fire with them off), so here the page runs with none of its own:
    every script it asks for is refused, and axe comes in through DevTools."""
    context = browser.new_context(base_url=live_server.url)
    sign_in(context, user, live_server.url)
    context.route(re.compile(r".*\.m?js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/events/spread-day/sessions/top-tips/chat/")
        assert page.locator("[data-snapshot]").count() > 0, "room.mjs ran"
        violations = run_axe(page, axe_source)
        return [v for v in violations if v["impact"] in BLOCKING]
    finally:
        context.close()


def _now_in(zone: str) -> str:
    return timezone.localtime(timezone.now(), ZoneInfo(zone)).strftime("%H:%M")


def test_chat_room_without_javascript_is_a_snapshot_that_shows_what_was_sent(
    chat, browser, live_server, axe_source
):
    before = _now_in("Europe/London")
    page = _room_without_js(browser, live_server, chat["ada"])
    after = _now_in("Europe/London")

    status = page.locator(".live-room__status")
    shown = status.inner_text()
    assert shown in {
        f"This is a snapshot of the conversation at {at}. Refresh to see new messages."
        for at in (before, after)
    }
    refresh = status.get_by_role("link", name="Refresh")
    assert re.fullmatch(
        r"/events/spread-day/sessions/top-tips/chat/\?snapshot=\d+#live-latest",
        refresh.get_attribute("href"),
    )
    reply_box = page.get_by_label("My message answers the current prompt")
    expect(reply_box).not_to_be_checked()
    expect(page.locator("[data-command='react']")).to_have_count(41)  # the prompt's too
    expect(page.locator("[data-command='react']").first).to_be_hidden()
    expect(
        page.get_by_text("The +1 and More buttons on each message need JavaScript.")
    ).to_be_visible()
    blocking = _axe_without_scripts(browser, live_server, chat["ada"], axe_source)
    assert not blocking, describe(blocking)

    # Sending (a plain form): back at the room, the new message in view.
    page.get_by_label("Your message").fill("Is the sound working?")
    page.get_by_role("button", name="Send").click()
    sent = Message.objects.get(text="Is the sound working?")
    page.wait_for_url(f"**/chat/#message-{sent.pk}")
    expect(page.locator(f"#message-{sent.pk}")).to_be_in_viewport()
    assert sent.reply_to is None

    # From the prompt: the box comes ticked, and the answer is filed under the prompt.
    page.get_by_role("link", name="Answer this prompt").click()
    page.wait_for_url("**/chat/?answer=prompt#live-send")
    expect(reply_box).to_be_checked()
    page.get_by_label("Your message").fill("Start with one ward")
    page.get_by_role("button", name="Send").click()
    answer = Message.objects.get(text="Start with one ward")
    page.wait_for_url(f"**/chat/#message-{answer.pk}")
    expect(page.locator(f"#message-{answer.pk}")).to_be_in_viewport()
    expect(reply_box).not_to_be_checked()
    assert answer.reply_to == chat["prompt"]

    # Refresh: a new page (another person wrote meanwhile), at the newest message.
    live_services.message_post(
        room=answer.room, author=chat["host"], text="Thank you, Ada", client_id="host-thanks"
    )
    page.locator(".live-room__status").get_by_role("link", name="Refresh").click()
    page.wait_for_url(re.compile(r".*/chat/\?snapshot=\d+#live-latest$"))
    expect(page.locator("[data-messages] > li").last).to_contain_text("Thank you, Ada")
    expect(page.locator("[data-messages] > li").last).to_be_in_viewport()
    assert page.locator("body.js-enabled").count() == 0, "JavaScript ran"


def test_chat_room_host_tools_say_they_need_javascript(chat, browser, live_server, axe_source):
    page = _room_without_js(browser, live_server, chat["host"])

    tools = page.locator(".live-host")

    expect(tools.locator(".nhsuk-inset-text")).to_have_text(
        "These tools need JavaScript. Turn it on in your browser to pose prompts, close or"
        " reopen the chat, set slow mode, or hide and tag messages and mute people."
    )
    expect(tools.get_by_role("button")).to_have_count(0)
    expect(page.locator(".live-message__actions").first).to_be_hidden()
    blocking = _axe_without_scripts(browser, live_server, chat["host"], axe_source)
    assert not blocking, describe(blocking)
