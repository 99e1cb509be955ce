"""The chat room in a real browser, served by real uvicorn (WebSockets need ASGI).

One person's page has no WebSocket at all (deleted by an init script, as behind a
proxy that blocks them): it falls back to Server-Sent Events and POST. Another
person's page uses the WebSocket. Messages go both ways; the pages pass axe and
raise no Content-Security-Policy violation; the room reflows at 320 px.
"""

import contextlib
import json
import re
import sqlite3

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.browser.test_csp import RECORD_CSP_VIOLATIONS
from tests.live import e2e

pytestmark = pytest.mark.browser

NO_WEBSOCKETS = "delete window.WebSocket;"


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-browser")
    database, seed = e2e.seeded_copy(e2e.migrated_database(folder), folder)
    server = e2e.Server(e2e.environment(database), folder / "uvicorn.log")
    yield server, json.loads(seed.read_text()), database
    server.stop()


def _page_for(
    browser, server, seed, who: str, *, websockets: bool = True
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    name, value = seed["cookies"][who].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": server.url, "httpOnly": True}])
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    if not websockets:
        page.add_init_script(NO_WEBSOCKETS)
    page.goto(f"/events/{seed['event']}/sessions/{seed['session']}/chat/")
    return context, page


def _send(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_fallback_and_websocket_pages_talk_to_each_other(browser, chat_server):
    server, seed, _ = chat_server
    fallback_context, alice = _page_for(browser, server, seed, "alice", websockets=False)
    socket_context, bea = _page_for(browser, server, seed, "bea")
    try:
        expect(alice.locator("[data-connection]")).to_contain_text(
            "your network blocks live connections", timeout=15_000
        )
        expect(bea.locator("[data-connection]")).to_have_text("Connected", timeout=10_000)

        _send(alice, "Sent over POST, read over SSE")
        expect(bea.locator("[data-messages]")).to_contain_text("Sent over POST, read over SSE")
        expect(alice.locator("[data-messages]")).to_contain_text("Sent over POST, read over SSE")
        _send(bea, "Sent over the WebSocket")
        expect(alice.locator("[data-messages]")).to_contain_text("Sent over the WebSocket")

        # Shift+Enter is a new line, not a send; the box keeps focus throughout.
        box = bea.get_by_label("Your message")
        box.fill("First line")
        box.press("Shift+Enter")
        box.type("second line")
        expect(box).to_have_value("First line\nsecond line")
        assert bea.evaluate("document.activeElement.id") == "live-text"

        assert alice.evaluate("typeof window.WebSocket") == "undefined"
        assert alice.evaluate("window.__cspViolations") == []
        assert bea.evaluate("window.__cspViolations") == []
    finally:
        fallback_context.close()
        socket_context.close()


def test_room_passes_axe_for_attendees_and_hosts_and_reflows(browser, chat_server, axe_source):
    server, seed, _ = chat_server
    host_context, mo = _page_for(browser, server, seed, "mo")
    attendee_context, carl = _page_for(browser, server, seed, "carl")
    try:
        expect(mo.locator("[data-connection]")).to_have_text("Connected", timeout=10_000)
        mo.get_by_label("Pose a prompt (it is pinned at the top)").fill(
            "What is your top tip to enable spread?"
        )
        mo.get_by_role("button", name="Post the prompt").click()
        expect(carl.locator("[data-prompt]")).to_contain_text("What is your top tip")
        _send(carl, "Find the people already doing it: https://example.org/tips")
        expect(mo.locator("[data-messages]")).to_contain_text("Find the people")
        carl.locator("summary").last.click()  # open a message's action menu

        for page in (mo, carl):
            violations = run_axe(page, axe_source)
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            assert not blocking, describe(blocking)

        carl.set_viewport_size({"width": 320, "height": 640})
        assert carl.evaluate("document.documentElement.scrollWidth") <= 321
        link = carl.locator("[data-messages] a[href='https://example.org/tips']")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow ugc")
    finally:
        host_context.close()
        attendee_context.close()


def test_live_status_replaces_the_snapshot_and_only_answers_from_the_prompt_are_filed_under_it(
    browser, chat_server, axe_source
):
    server, seed, database = chat_server
    host_context, mo = _page_for(browser, server, seed, "mo")
    attendee_context, carl = _page_for(browser, server, seed, "carl")
    prompt_text = "What would you try first on Monday?"
    try:
        # The snapshot notice is gone: the live status is in its place.
        expect(carl.locator(".live-room__status")).to_have_text(
            "2 people here · Connected", timeout=15_000
        )
        expect(carl.locator("[data-snapshot]")).to_have_count(0)
        expect(mo.locator(".live-host")).not_to_contain_text("need JavaScript")
        expect(mo.get_by_role("button", name="Post the prompt")).to_be_visible()

        mo.get_by_label("Pose a prompt (it is pinned at the top)").fill(prompt_text)
        mo.get_by_role("button", name="Post the prompt").click()
        expect(carl.locator("[data-prompt]")).to_contain_text(prompt_text)
        reply_box = carl.get_by_label("My message answers the current prompt")
        expect(reply_box).not_to_be_checked()

        # A message not meant as an answer: not filed under the prompt.
        _send(carl, "Is the sound working for everyone?")
        unrelated = mo.locator("[data-messages] > li", has_text="Is the sound working")
        expect(unrelated).to_have_attribute("data-id", re.compile(r"\d+"))
        expect(unrelated.locator("[data-reply]")).to_be_hidden()

        # From the prompt, with the keyboard: the box is ticked, the focus in the message box.
        carl.get_by_role("link", name="Answer this prompt").focus()
        carl.keyboard.press("Enter")
        expect(reply_box).to_be_checked()
        assert carl.evaluate("document.activeElement.id") == "live-text"
        carl.keyboard.type("Start with one ward")
        carl.keyboard.press("Enter")
        answer = mo.locator("[data-messages] > li", has_text="Start with one ward")
        expect(answer.locator("[data-reply]")).to_have_text("Answering a prompt")
        expect(reply_box).not_to_be_checked()  # the next message answers only if ticked again

        # The host's chat tag, named by what it does (the board's action is another).
        unrelated.locator("summary").click()
        unrelated.get_by_role(
            "button", name="Tag as a question to answer later in this chat"
        ).click()
        expect(mo.locator("[data-announcer]")).to_have_text(
            "Tagged as a question to answer later in this chat."
        )
        expect(unrelated.locator("[data-question]")).to_be_visible()
        expect(unrelated.locator('[data-command="question"]')).to_have_text(
            "Remove the question tag"
        )

        for page in (mo, carl):
            violations = run_axe(page, axe_source)
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            assert not blocking, describe(blocking)
        assert mo.evaluate("window.__cspViolations") == []
        assert carl.evaluate("window.__cspViolations") == []
    finally:
        host_context.close()
        attendee_context.close()

    with contextlib.closing(sqlite3.connect(database)) as db:
        (prompt_id,) = db.execute(
            "SELECT id FROM live_message WHERE text = ?", [prompt_text]
        ).fetchone()
        rows = db.execute(
            "SELECT text, reply_to_id, is_question FROM live_message"
            " WHERE text IN ('Is the sound working for everyone?', 'Start with one ward')"
            " ORDER BY seq"
        ).fetchall()
    assert rows == [
        ("Is the sound working for everyone?", None, 1),
        ("Start with one ward", prompt_id, 0),
    ]


@pytest.fixture(scope="module")
def long_chat_server(tmp_path_factory):
    """A room with 130 earlier messages: the page shows the latest 100."""
    folder = tmp_path_factory.mktemp("live-history")
    database, seed = e2e.seeded_copy(e2e.migrated_database(folder), folder, messages=130)
    server = e2e.Server(e2e.environment(database), folder / "uvicorn.log")
    yield server, json.loads(seed.read_text())
    server.stop()


def test_earlier_messages_load_above_without_moving_focus_or_reading_them_out(
    browser, long_chat_server, axe_source
):
    server, seed = long_chat_server
    context, carl = _page_for(browser, server, seed, "carl")
    try:
        items = carl.locator("[data-messages] > li")
        expect(carl.locator("[data-connection]")).to_have_text("Connected", timeout=10_000)
        expect(items).to_have_count(100)
        expect(items.first).to_contain_text("Earlier message 31")

        link = carl.get_by_role("link", name="Show earlier messages")
        link.focus()
        carl.keyboard.press("Enter")

        wrap = carl.locator("[data-earlier-wrap]")
        expect(wrap).to_have_text("Added 30 earlier messages above. This is the start of the chat.")
        expect(items).to_have_count(130)
        expect(items.first).to_contain_text("Earlier message 1")
        expect(items.last).to_contain_text("Earlier message 130")
        assert carl.evaluate("document.activeElement.hasAttribute('data-earlier-wrap')")
        assert carl.locator("[data-log]").get_attribute("aria-live") == "polite"
        # The loaded messages have their actions, and the room still works.
        expect(items.first.locator("[data-command='react']")).to_be_visible()
        _send(carl, "After reading back")
        expect(items.last).to_contain_text("After reading back")

        violations = run_axe(carl, axe_source)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, describe(blocking)
        assert carl.evaluate("window.__cspViolations") == []
    finally:
        context.close()


def test_without_javascript_the_link_opens_the_history_pages(browser, long_chat_server):
    server, seed = long_chat_server
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    name, value = seed["cookies"]["carl"].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": server.url, "httpOnly": True}])
    page = context.new_page()
    try:
        page.goto(f"/events/{seed['event']}/sessions/{seed['session']}/chat/")
        # The room shows the latest 100 (another test may have added one).
        first_shown = page.locator("[data-messages] > li").first.inner_text()
        k = int(re.search(r"Earlier message (\d+)", first_shown).group(1))
        page.get_by_role("link", name="Show earlier messages").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Messages")
        messages = page.locator("ol.live-history > li")
        expect(messages).to_have_count(k - 1)  # all those before the ones the room showed
        expect(messages.first).to_contain_text("Earlier message 1")
        expect(messages.last).to_contain_text(f"Earlier message {k - 1}")
        page.get_by_role("link", name="Later messages").click()
        later = page.locator("ol.live-history > li")
        expect(later).to_have_count(100)
        expect(later.first).to_contain_text(f"Earlier message {k}")
    finally:
        context.close()
