"""Download my data: a JSON file of everything Convene holds about the person."""

import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.accounts.selectors import user_data_export
from convene.events.models import EventRole, Host
from tests.accounts.conftest import verify_email
from tests.conftest import client_for
from tests.factories import EventFactory, EventRoleFactory, HostFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_download_my_data_is_a_json_attachment_that_is_never_cached(attendee):
    response = client_for(attendee).get(reverse("accounts:download_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="convene-my-data-{timezone.localdate().isoformat()}.json"'
    )
    assert response["Cache-Control"] == "no-store"


def test_download_my_data_holds_the_account_hosting_and_event_roles(host, event, session):
    host.pronouns = "she/her"
    host.organisation = "NHS England"
    host.job_role = "Improvement lead"
    host.lived_experience_partner = True
    host.accessibility_needs = "Captions"
    host.save()
    verify_email(host)
    Host.objects.filter(user=host).update(bio="I run the spread team.", social_handle="@hana")
    other_event = EventFactory(slug="another-event", title="Another event")
    EventRoleFactory(event=other_event, user=host, role=EventRole.Role.JUDGE)
    HostFactory(
        session=SessionFactory(event=other_event, slug="tips", title="Top tips"),
        user=host,
        guest_name="",
        role=Host.Role.CO_HOST,
        organisation="Horizons",
    )
    # Someone else's data never appears.
    HostFactory(session=session, guest_name="A guest")

    response = client_for(host).get(reverse("accounts:download_data"))

    data = json.loads(response.content)
    host.refresh_from_db()  # signing in set last_login
    exported_at = datetime.fromisoformat(data.pop("exported_at"))
    assert abs(timezone.now() - exported_at) < timedelta(minutes=1)
    assert data == {
        "format": "convene-personal-data/1",
        "account": {
            "email": "host@example.org",
            "name": "Hana Host",
            "pronouns": "she/her",
            "organisation": "NHS England",
            "job_role": "Improvement lead",
            "lived_experience_partner": True,
            "accessibility_needs": "Captions",
            "date_joined": host.date_joined.isoformat(),
            "last_login": host.last_login.isoformat(),
        },
        "email_addresses": [{"email": "host@example.org", "verified": True, "primary": True}],
        "event_roles": [
            {"event": "Another event", "event_slug": "another-event", "role": "judge"},
            {"event": "The Big Conversation", "event_slug": "big-conversation", "role": "host"},
        ],
        "hosting": [
            {
                "event_slug": "big-conversation",
                "session": "Spreading improvement",
                "session_slug": "spread",
                "role": "host",
                "organisation": "",
                "bio": "I run the spread team.",
                "social_handle": "@hana",
            },
            {
                "event_slug": "another-event",
                "session": "Top tips",
                "session_slug": "tips",
                "role": "co_host",
                "organisation": "Horizons",
                "bio": "",
                "social_handle": "",
            },
        ],
        "attendance": {
            "registrations": [],
            "starred_sessions": [],
            "sessions_joined": [],
            "has_calendar_feed": False,
        },
        "audit_log": [],
        "console": {"messages_sent": [], "messages_received": []},
        "contributions": {"shared": [], "votes": []},
        "live": {"messages": []},
        "team_invitations": [],
    }


def test_download_my_data_of_a_person_with_no_roles_has_empty_lists(attendee):
    data = user_data_export(user=attendee)

    assert (data["email_addresses"], data["event_roles"], data["hosting"]) == ([], [], [])
    assert data["account"]["last_login"] is None


def test_download_my_data_refuses_post(attendee):
    response = client_for(attendee).post(reverse("accounts:download_data"))

    assert response.status_code == 405


def test_download_my_data_costs_a_fixed_number_of_queries(host, event, django_assert_num_queries):
    for _ in range(3):
        HostFactory(session=SessionFactory(event=event), user=host, guest_name="")
        EventRoleFactory(event=EventFactory(), user=host, role=EventRole.Role.REVIEWER)

    # email addresses, event roles, hosting; attendance: registrations (+ bookings),
    # stars, sessions joined, calendar feed; contributions: shared (+ principles), votes;
    # live: messages; the audit log; team invitations: addresses, invitations; the console:
    # messages sent, messages received
    with django_assert_num_queries(15):  # none: no bookings or principles query
        data = user_data_export(user=host)

    assert len(data["hosting"]) == 4
    assert len(data["event_roles"]) == 4
