"""A NUL character (%00) in a path, a query value or a body is refused with a 400
in one place (core/middleware.py), before any view: on PostgreSQL each of these
was a 500 (psycopg cannot send a string with NUL in it)."""

import json
from urllib.parse import urlencode

import pytest

from convene.attendance.models import Attendance
from convene.contributions.models import Contribution
from tests.attendance.conftest import register
from tests.personas import client_for

pytestmark = pytest.mark.django_db

HTML_MESSAGE = "The address or the form contains a NUL character (%00)"

# (who, address). On PostgreSQL before the fix: the feed, the host invitation and
# the three API addresses were 500s; the others answered 200 or 400 by luck (a
# filter form that refused the value, a signed token checked before the query).
ADDRESSES = [
    ("anonymous", "/my/calendar/%00.ics"),
    ("anonymous", "/host-invitations/%00/"),
    ("anonymous", "/register/confirm/%00/"),
    ("anonymous", "/unsubscribe/%00/"),
    ("anonymous", "/api/events/big-conversation/contributions?principle=%00"),
    ("anonymous", "/api/events/%00/contributions"),
    ("anonymous", "/api/events/big-conversation/sessions/%00/contributions"),
    ("anonymous", "/events/big-conversation/top-tips/?principle=%00"),
    ("organiser", "/orga/big-conversation/registrations/?q=%00"),
    ("organiser", "/orga/big-conversation/registrations/?session=%00"),
    ("organiser", "/orga/big-conversation/registrations.csv?q=%00"),
    ("host", "/host-invitations/%00/"),
]


@pytest.mark.parametrize(("who", "address"), ADDRESSES)
def test_nul_in_the_address_is_a_400_not_a_500(as_persona, session, who, address):
    response = as_persona(who).get(address)

    assert response.status_code == 400
    if address.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert (response.json()["code"], response.json()["status"]) == ("nul_character", 400)
    else:
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert HTML_MESSAGE in response.content.decode()


@pytest.mark.parametrize("key", ["%00", "q%00"])
def test_nul_in_a_query_parameter_name_is_refused_too(organiser, session, key):
    response = client_for(organiser).get(f"/orga/big-conversation/registrations/?{key}=x")

    assert response.status_code == 400
    assert HTML_MESSAGE in response.content.decode()


def test_nul_in_a_form_post_is_refused_and_changes_nothing(organiser, session, attendee):
    registration = register(attendee, session.event)

    response = client_for(organiser).post(
        f"/orga/big-conversation/attendance/{session.pk}/mark/",
        urlencode({"registration": registration.pk, "attended": "yes\x00"}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert HTML_MESSAGE in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "top_tip", "text": "Spread\x00it"},
        {"kind": "top_tip", "text": "Spread it", "principles": ["\x00"]},
        {"kind": "top_tip", "text": "Spread it", "session": "spread\x00"},
    ],
)
def test_nul_in_a_json_body_is_a_problem_and_stores_nothing(attendee, session, payload):
    response = client_for(attendee).post(
        "/api/events/big-conversation/contributions",
        json.dumps(payload),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert not Contribution.objects.exists()


def test_addresses_without_nul_pass_through(organiser, session):
    response = client_for(organiser).get("/orga/big-conversation/registrations/?q=%2500")

    assert response.status_code == 200
