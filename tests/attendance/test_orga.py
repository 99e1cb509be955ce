"""Organiser pages for registration: permissions, lists, CSV, numbers, attendance, and the
session page's links to write to its people (messages are the console's: tests/console)."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.attendance import services
from convene.attendance.models import Attendance
from convene.attendance.views.orga import csv_safe
from convene.core.models import AuditEntry
from tests.attendance.conftest import register
from tests.factories import UserFactory
from tests.personas import LOGIN, client_for, outcome

pytestmark = pytest.mark.django_db


def _urls(session) -> dict[str, str]:
    slug, pk = session.event.slug, session.pk
    return {
        "registrations": reverse("attendance:orga_registrations", kwargs={"event": slug}),
        "csv": reverse("attendance:orga_registrations_csv", kwargs={"event": slug}),
        "numbers": reverse("attendance:orga_numbers", kwargs={"event": slug}),
        "session": reverse("attendance:orga_session", kwargs={"event": slug, "pk": pk}),
    }


def _writes(session) -> list[str]:
    slug, pk = session.event.slug, session.pk
    return [reverse("attendance:orga_mark_attendance", kwargs={"event": slug, "pk": pk})]


def test_every_registration_page_opens_for_the_organiser(organiser, session):
    client = client_for(organiser)

    statuses = [client.get(url).status_code for url in _urls(session).values()]

    assert statuses == [200, 200, 200, 200]


@pytest.mark.parametrize(
    "persona", ["host", "moderator", "speaker", "judge", "attendee", "outsider"]
)
def test_registration_pages_refuse_other_personas(as_persona, persona, session):
    client = as_persona(persona)

    reads = {client.get(url).status_code for url in _urls(session).values()}
    writes = {client.post(url, {"attended": "yes"}).status_code for url in _writes(session)}

    assert reads == writes == {403}
    assert not Attendance.objects.exists()


def test_registration_pages_send_anonymous_visitors_to_sign_in(session):
    responses = [Client().get(url) for url in _urls(session).values()]

    assert {outcome(r) for r in responses} == {LOGIN}


def test_orga_nav_links_to_registrations_and_attendance(organiser, session):
    html = client_for(organiser).get(_urls(session)["registrations"]).content.decode()

    assert 'href="/orga/big-conversation/registrations/" aria-current="page"' in html
    assert 'href="/orga/big-conversation/attendance/"' in html


def test_registrations_list_searches_and_filters(organiser, session, attendee, outsider):
    session.capacity = 1
    session.save()
    booked = register(attendee, session.event, organisation="Leeds Teaching Hospitals")
    waiting = register(outsider, session.event)
    services.booking_create(registration=booked, session=session)
    services.booking_create(registration=waiting, session=session)
    url = _urls(session)["registrations"]
    client = client_for(organiser)

    def names(params):
        return [r.name for r in client.get(url, params).context["registrations"]]

    assert names({}) == ["Ade Attendee", "Oz Outsider"]
    assert names({"q": "leeds"}) == ["Ade Attendee"]
    assert names({"session": session.pk, "state": "waiting"}) == ["Oz Outsider"]
    assert names({"state": "cancelled"}) == []


def test_csv_export_is_safe_from_formula_injection(organiser, session):
    evil = UserFactory(email="evil@example.org", name='=HYPERLINK("http://x","y")')
    register(evil, session.event, organisation="+cmd", access_needs="@SUM(1)")

    response = client_for(organiser).get(_urls(session)["csv"])

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["name", "email", "organisation"]
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][2] == "'+cmd"
    assert rows[1][5] == "'@SUM(1)"
    assert [csv_safe("-1"), csv_safe("plain"), csv_safe(None)] == ["'-1", "plain", ""]


def test_csv_and_list_show_each_persons_current_name_never_their_address(organiser, session):
    nameless = UserFactory(email="priya@example.org", name="")
    register(nameless, session.event)  # registered before the profile had a name
    nameless.name = "Priya Patel"
    nameless.save()
    never_named = UserFactory(email="sam@example.org", name="")
    register(never_named, session.event)

    response = client_for(organiser).get(_urls(session)["csv"])
    page = client_for(organiser).get(_urls(session)["registrations"]).content.decode()

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert sorted((row[0], row[1]) for row in rows[1:]) == [
        ("", "sam@example.org"),
        ("Priya Patel", "priya@example.org"),
    ]
    assert "Priya Patel" in page


def test_numbers_count_registered_waiting_and_joined(organiser, session, attendee, outsider):
    session.capacity = 1
    session.save()
    services.booking_create(registration=register(attendee, session.event), session=session)
    services.booking_create(registration=register(outsider, session.event), session=session)
    services.attendance_record_join(session=session, user=attendee)

    response = client_for(organiser).get(_urls(session)["numbers"])

    [row] = response.context["sessions"]
    assert (row.booked, row.waiting, row.joined) == (1, 1, 1)
    assert response.context["registered"] == 2


def test_session_page_leads_to_the_console_with_the_session_chosen(organiser, session):
    session.capacity = 5
    session.save()
    page = client_for(organiser).get(_urls(session)["session"]).content.decode()
    compose = reverse("console:message_new", kwargs={"event": session.event.slug})

    people = f'href="{compose}?group=session_registrants&amp;sessions={session.pk}"'
    waiting = f'href="{compose}?group=waiting_list&amp;sessions={session.pk}"'
    assert people in page
    assert waiting in page
    assert (
        'method="post" action="/orga/big-conversation/attendance/'
        not in page.split("Message these people")[1]
    )


def test_a_drop_in_session_has_no_waiting_list_to_write_to(organiser, session):
    page = client_for(organiser).get(_urls(session)["session"]).content.decode()

    assert "group=session_registrants" in page
    assert "group=waiting_list" not in page


def test_organiser_marks_and_unmarks_attendance(organiser, session, attendee):
    registration = register(attendee, session.event)
    client = client_for(organiser)
    url = _writes(session)[0]

    client.post(url, {"registration": registration.pk, "attended": "yes"})
    marked = list(Attendance.objects.values_list("user__email", "source"))
    client.post(url, {"registration": registration.pk, "attended": "no"})

    assert marked == [("attendee@example.org", "organiser")]
    assert not Attendance.objects.exists()
    # The activity log names the organiser and the session, not the attendee.
    assert list(
        AuditEntry.objects.order_by("id").values_list("actor_name", "action", "object_repr")
    ) == [
        ("Olu Organiser", "attendance.marked", session.title),
        ("Olu Organiser", "attendance.unmarked", session.title),
    ]


@pytest.mark.parametrize("value", ["abc", "", "1e3", "²", "9" * 30])
def test_marking_attendance_of_no_registration_number_is_refused_with_a_message(
    organiser, session, attendee, value
):
    register(attendee, session.event)

    response = client_for(organiser).post(
        _writes(session)[0], {"registration": value, "attended": "yes"}
    )

    assert response.status_code == 400
    assert "Attendance not saved: choose a person from the list." in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("page", ["registrations", "numbers", "session"])
def test_registration_list_pages_query_count_does_not_grow(organiser, session, page):
    session.capacity = 10
    session.save()
    client = client_for(organiser)
    url = _urls(session)[page]
    counts = []
    for total in (1, 3):
        while session.event.registrations.count() < total:
            registration = register(UserFactory(), session.event)
            services.booking_create(registration=registration, session=session)
        client.get(url)  # warm the session and the role cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
