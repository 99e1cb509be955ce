"""Who is in each group (RECIPIENT_GROUPS: attendance's and the console's own), one entry a
person, with the values only the group's app can fill: `{join_link}` only inside the join
window, for people holding a place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convene.attendance import services as attendance_services
from convene.console.extensions import recipient_group
from convene.console.selectors import audience
from convene.events.models import EventRole, Host
from tests.attendance.conftest import session_at
from tests.console.conftest import book, register
from tests.factories import EventFactory, EventRoleFactory, HostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _emails(key, event, sessions=(), optional=False) -> list[str]:
    group = recipient_group(key)
    found = audience(group=group, event=event, sessions=list(sessions), optional=optional)
    return [r.email for r in found.recipients]


def _one(key, event, sessions=(), email=None):
    [recipient] = recipient_group(key).recipients(event=event, sessions=list(sessions), email=email)
    return recipient


@pytest.fixture
def people(db):
    return {
        name: UserFactory(email=f"{name}@example.org", name=name.capitalize())
        for name in ["ann", "bea", "cal", "dee"]
    }


@pytest.fixture
def soon(db):
    """An event running from today, for sessions around now."""
    today = timezone.localdate()
    return EventFactory(slug="soon", start_date=today, end_date=today + timedelta(days=3))


def test_everyone_registered_means_confirmed_registrations_by_name(event, people):
    register(people["cal"], event)
    register(people["ann"], event)
    cancelled = register(people["bea"], event)
    attendance_services.registration_cancel(registration=cancelled)
    attendance_services.registration_request(event=event, email="dee@example.org", name="Dee")

    assert _emails("registrants", event) == ["ann@example.org", "cal@example.org"]


def test_people_of_chosen_sessions_hold_a_place_or_wait_and_drop_ins_have_everyone(event, people):
    workshop = session_at(event, minutes_from_now=60, capacity=1, title="Workshop")
    drop_in = session_at(event, minutes_from_now=240, title="Drop-in")
    ann, bea, _ = (register(people[n], event) for n in ["ann", "bea", "cal"])
    book(ann, workshop)
    book(bea, workshop)  # full: waiting

    assert _emails("session_registrants", event, [workshop]) == [
        "ann@example.org",
        "bea@example.org",
    ]
    assert _emails("waiting_list", event, [workshop]) == ["bea@example.org"]
    assert _emails("session_registrants", event, [drop_in]) == [
        "ann@example.org",
        "bea@example.org",
        "cal@example.org",
    ]
    assert _emails("waiting_list", event, [drop_in]) == []


def test_a_person_in_two_chosen_sessions_is_one_recipient_with_both(event, people):
    first = session_at(event, minutes_from_now=60, capacity=5, title="First")
    second = session_at(event, minutes_from_now=240, capacity=5, title="Second")
    ann = register(people["ann"], event)
    book(ann, first)
    book(ann, second)

    recipient = _one("session_registrants", event, [first, second])

    assert _emails("session_registrants", event, [first, second]) == ["ann@example.org"]
    assert recipient.values["session"] == "First and Second"
    assert recipient.values["session_link"].splitlines() == [
        f"First: http://127.0.0.1:8000{first.get_absolute_url()}",
        f"Second: http://127.0.0.1:8000{second.get_absolute_url()}",
    ]


def test_join_link_only_inside_the_join_window_and_only_with_a_place(soon, people, settings):
    settings.JOIN_WINDOW_MINUTES = 15
    now = session_at(soon, minutes_from_now=10, capacity=1, title="Now")
    later = session_at(soon, minutes_from_now=3 * 60, capacity=5, title="Later")
    ann, bea = register(people["ann"], soon), register(people["bea"], soon)
    book(ann, now)
    book(bea, now)  # waiting
    book(ann, later)

    with_place = _one("session_registrants", soon, [now], email="ann@example.org")
    waiting = _one("session_registrants", soon, [now], email="bea@example.org")
    outside = _one("session_registrants", soon, [later], email="ann@example.org")

    assert with_place.values["join_link"] == f"http://127.0.0.1:8000/sessions/{now.pk}/join/"
    assert waiting.values["join_link"] == (
        "You are on the waiting list for Now: if a place comes free, we will email you."
    )
    assert outside.values["join_link"] == (
        "The join link for Later will be on its page from 15 minutes before it starts: "
        f"http://127.0.0.1:8000{later.get_absolute_url()}"
    )
    assert "teams.example.org" not in with_place.values["join_link"]  # never the raw link


def test_join_link_for_cancelled_ended_and_several_sessions(soon, people):
    cancelled = session_at(soon, minutes_from_now=10, title="Gone")
    cancelled.status = cancelled.Status.CANCELLED
    cancelled.save()
    ended = session_at(soon, minutes_from_now=-120, length=60, title="Over")
    running = session_at(soon, minutes_from_now=-5, title="Running")
    register(people["ann"], soon)

    recipient = _one("session_registrants", soon, [cancelled, ended, running])

    assert recipient.values["join_link"].splitlines() == [
        "Over has ended.",
        f"Running: http://127.0.0.1:8000/sessions/{running.pk}/join/",
        "Gone has been cancelled.",
    ]


def test_registrants_say_whether_they_accept_optional_emails_with_their_unsubscribe_link(
    event, people
):
    register(people["ann"], event, email_consent=True)
    register(people["bea"], event, email_consent=False)

    found = audience(group=recipient_group("registrants"), event=event, sessions=[], optional=True)
    ann = _one("registrants", event, email="ann@example.org")

    assert [r.email for r in found.recipients] == ["ann@example.org"]
    assert found.left_out == 1
    assert ann.unsubscribe_url.startswith("http://127.0.0.1:8000/unsubscribe/")
    assert _emails("registrants", event, optional=False) == ["ann@example.org", "bea@example.org"]


def test_a_registrants_name_is_their_name_now_never_their_address(event, people):
    register(people["ann"], event)
    people["ann"].name = "Ann Renamed"
    people["ann"].save()
    nameless = UserFactory(email="zed@example.org", name="")
    register(nameless, event)

    names = [r.name for r in recipient_group("registrants").recipients(event=event, sessions=[])]

    assert sorted(names) == ["", "Ann Renamed"]


def test_hosts_of_every_session_or_of_chosen_ones_with_their_sessions(event, session, people):
    other = session_at(event, minutes_from_now=600, title="Another")
    HostFactory(session=session, user=people["ann"], guest_name="", role=Host.Role.HOST)
    HostFactory(session=other, user=people["ann"], guest_name="", role=Host.Role.MODERATOR)
    HostFactory(session=other, user=people["bea"], guest_name="", role=Host.Role.SPEAKER)
    HostFactory(session=other, guest_name="A guest without an account")
    EventRoleFactory(event=event, user=people["cal"], role=EventRole.Role.HOST)  # no session yet

    ann = _one("hosts", event, email="ann@example.org")

    assert _emails("hosts", event) == ["ann@example.org", "bea@example.org", "cal@example.org"]
    assert _emails("session_hosts", event, [other]) == ["ann@example.org", "bea@example.org"]
    assert _emails("session_hosts", event, [session]) == ["ann@example.org"]
    assert ann.values["session"] == f"Another and {session.title}"  # in programme order
    assert _one("session_hosts", event, [other], email="ann@example.org").values == {
        "session": "Another",
        "session_link": f"http://127.0.0.1:8000{other.get_absolute_url()}",
    }


def test_reviewers_judges_and_the_team_each_person_once(event, people, organiser, judge):
    EventRoleFactory(event=event, user=people["ann"], role=EventRole.Role.REVIEWER)
    EventRoleFactory(event=event, user=people["ann"], role=EventRole.Role.JUDGE)
    EventRoleFactory(event=event, user=people["bea"], role=EventRole.Role.HOST)
    gone = UserFactory(email="gone@example.org", is_active=False)
    EventRoleFactory(event=event, user=gone, role=EventRole.Role.JUDGE)

    assert _emails("reviewers", event) == ["ann@example.org"]
    assert _emails("judges", event) == ["ann@example.org", "judge@example.org"]
    assert _emails("team", event) == [
        "ann@example.org",
        "bea@example.org",
        "judge@example.org",
        "organiser@example.org",
    ]


def test_groups_of_another_event_are_not_mixed_in(event, people):
    other = EventFactory()
    register(people["ann"], other)
    EventRoleFactory(event=other, user=people["bea"], role=EventRole.Role.JUDGE)

    assert _emails("registrants", event) == []
    assert _emails("judges", event) == []
