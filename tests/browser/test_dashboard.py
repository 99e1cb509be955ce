"""The event dashboard in a browser, with people registered over several days
(the demo has chat and contributions but nobody registered, so its page in
pages.py shows no chart): the chart is an image with a name and a description,
its numbers open from the keyboard, and axe and the CSP find nothing on it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from convene.accounts.models import User
from convene.attendance.models import Attendance, Booking, Registration
from convene.events.models import Event, Session
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.browser.test_csp import RECORD_CSP_VIOLATIONS, InlineCodeFinder

pytestmark = pytest.mark.browser

URL = "/orga/big-conversation-2022/dashboard/"
_SPREAD = "what-is-needed-to-help-people-spread-innovation-and-improvement"


@pytest.fixture
def registered(demo, context, live_server):
    """Six people registered for the 2022 demo event on 2, 2, 4, 4, 4 and 9 May
    2022 (noon in London); two booked the spread conversation, one joined it."""
    from tests.browser.conftest import sign_in

    event = Event.objects.get(slug="big-conversation-2022")
    spread = Session.objects.get(event=event, slug=_SPREAD)
    Session.objects.filter(pk=spread.pk).update(capacity=10)
    for n, day in enumerate([2, 2, 4, 4, 4, 9]):
        user = User.objects.create_user(f"person{n}@example.org", name=f"Person {n}")
        registration = Registration.objects.create(
            event=event,
            user=user,
            email=user.email,
            name=user.name,
            state=Registration.State.CONFIRMED,
            confirmed_at=datetime(2022, 5, day, 11, 0, tzinfo=UTC),
        )
        if n < 2:
            Booking.objects.create(
                session=spread,
                registration=registration,
                state=Booking.State.BOOKED,
                queued_at=timezone.now() - timedelta(days=1),
            )
        if n == 0:
            Attendance.objects.create(
                session=spread, user=user, source="live_room", joined_at=timezone.now()
            )
    sign_in(context, User.objects.get(email="organiser@example.org"), live_server.url)
    return event


def test_the_chart_is_a_named_image_and_its_numbers_open_from_the_keyboard(registered, page):
    page.goto(URL)

    chart = page.get_by_role("img", name="Registrations over time")
    assert chart.count() == 1
    assert chart.get_attribute("aria-labelledby") == (
        "registrations-chart-title registrations-chart-desc"
    )
    description = page.locator("#registrations-chart-desc").text_content()
    assert description.startswith("Registrations over time, 2 May 2022 to 12 May 2022: 6 ")
    table = page.locator("#registrations-chart-table")
    assert not table.is_visible()

    summary = page.locator("summary", has_text="Show the numbers")
    for _ in range(80):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached “Show the numbers”")
    page.keyboard.press("Enter")

    assert table.is_visible()
    rows = table.locator("tbody tr").all_inner_texts()
    assert [" ".join(r.split()) for r in rows] == [
        "Mon 2 May 2022 2 2", "Tue 3 May 2022 0 2", "Wed 4 May 2022 3 5", "Thu 5 May 2022 0 5",
        "Fri 6 May 2022 0 5", "Sat 7 May 2022 0 5", "Sun 8 May 2022 0 5", "Mon 9 May 2022 1 6",
        "Tue 10 May 2022 0 6", "Wed 11 May 2022 0 6", "Thu 12 May 2022 0 6",
    ]  # fmt: skip
    spread_row = page.locator("#dashboard-sessions-table tbody tr", has_text="spread innovation")
    assert " ".join(spread_row.inner_text().split()).endswith("8 0 1 of 2 8 5 3 1 2")


def test_axe_and_the_csp_find_nothing_on_the_dashboard_with_its_chart(registered, page, axe_source):
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(URL)
    page.locator("summary", has_text="Show the numbers").click()

    assert response.status == 200
    finder = InlineCodeFinder()
    finder.feed(response.text())
    assert finder.found == []
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
