"""Joining a session, with the keyboard and without JavaScript: the session page's
"Join now" button POSTs, records attendance once and lands on the join link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from convene.attendance import services
from convene.attendance.models import Attendance
from tests.browser.conftest import sign_in
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def running_session(transactional_db, browser, live_server):
    today = timezone.localdate()
    event = EventFactory(slug="spread-week", start_date=today, end_date=today + timedelta(days=1))
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    # The join link points back at this server, so the browser can land on it.
    return SessionFactory(
        event=event,
        slug="clinic",
        title="Top tips clinic",
        start=start,
        end=start + timedelta(hours=1),
        join_url=f"{live_server.url}/?joined=clinic",
    )


def test_keyboard_user_without_javascript_joins_with_the_button(
    browser: Browser, live_server, member, running_session
):
    services.registration_create(event=running_session.event, user=member)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    sign_in(context, member, live_server.url)
    page = context.new_page()
    page.goto(running_session.get_absolute_url())
    button = page.get_by_role("button", name="Join now")
    assert not Attendance.objects.exists()  # seeing the button records nothing

    button.focus()
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: url.endswith("/?joined=clinic"))
    assert list(Attendance.objects.values_list("user__email", "session__slug", "source")) == [
        ("member@example.org", "clinic", "join_link")
    ]
    context.close()
