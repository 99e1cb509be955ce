"""A registered person turns reminders on from the event page and off again in
their profile, in a real browser, and both pages pass axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from convene.attendance import services
from convene.attendance.models import Registration
from tests.browser.conftest import sign_in
from tests.browser.test_axe import BLOCKING, describe, run_axe
from tests.factories import EventFactory

pytestmark = pytest.mark.browser
LABEL = "Email me reminders before sessions and when recordings are available"


@pytest.fixture
def registered(transactional_db, browser, member):
    today = timezone.localdate()
    event = EventFactory(
        slug="spread-week",
        title="Spread week",
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=8),
    )
    return services.registration_create(event=event, user=member, email_consent=False)


def _no_blocking_violations(page, axe_source) -> None:
    blocking = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {page.url}:\n{describe(blocking)}"


def test_reminders_on_from_the_event_page_and_off_in_the_profile(
    registered, member, page, context, live_server, axe_source
):
    sign_in(context, member, live_server.url)

    page.goto("/events/spread-week/")
    _no_blocking_violations(page, axe_source)
    page.get_by_label(LABEL).check()
    page.get_by_role("button", name="Save email choices for Spread week").click()

    expect(page.get_by_text("You will get reminders for Spread week.")).to_be_visible()
    expect(page.get_by_label(LABEL)).to_be_checked()
    assert Registration.objects.get(pk=registered.pk).email_consent is True

    page.goto("/profile/")
    _no_blocking_violations(page, axe_source)
    page.get_by_label(LABEL).uncheck()
    page.get_by_role("button", name="Save email choices for Spread week").click()

    expect(page.get_by_text("You will get no reminders for Spread week.")).to_be_visible()
    assert page.url.endswith("/profile/#event-emails")
    expect(page.get_by_label(LABEL)).not_to_be_checked()
    assert Registration.objects.get(pk=registered.pk).email_consent is False
