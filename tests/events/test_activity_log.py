"""The event's activity log (core.audit, read in the organiser area at /orga/<event>/log/):
every change made through the events services is one row naming who, what and on what."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.accounts import services as account_services
from convene.core.models import AuditEntry
from convene.events import services
from convene.events.models import Event, EventRole
from tests.conftest import client_for
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _log_url(event, **query) -> str:
    url = reverse("events:orga_log", kwargs={"event": event.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(event) -> list[tuple[str, str, str]]:
    return [
        (e.actor_name, e.action, e.object_repr)
        for e in AuditEntry.objects.filter(event_id=event.pk).order_by("id")
    ]


def test_each_organiser_change_through_the_pages_writes_one_row(organiser, event, session):
    client = client_for(organiser)
    slug = event.slug

    client.post(reverse("events:orga_tracks", kwargs={"event": slug}), {"name": "Teams call"})
    client.post(
        reverse("events:orga_session_create", kwargs={"event": slug}),
        {
            "title": "Scale and spread",
            "kind": "open_conversation",
            "day": "2030-05-12",
            "start_time": "10:20",
            "end_time": "10:55",
        },
    )
    client.post(reverse("events:orga_session_cancel", kwargs={"event": slug, "pk": session.pk}))
    client.post(reverse("events:orga_publish", kwargs={"event": slug}), {"publish": "no"})

    assert _rows(event) == [
        ("Olu Organiser", "events.track_created", "Teams call"),
        ("Olu Organiser", "events.session_created", "Scale and spread"),
        ("Olu Organiser", "events.session_cancelled", "Spreading improvement"),
        ("Olu Organiser", "events.programme_unpublished", "The Big Conversation"),
    ]
    cancelled = AuditEntry.objects.get(action="events.session_cancelled")
    assert cancelled.data == {"status": ["scheduled", "cancelled"]}


def test_a_change_records_the_fields_that_changed_and_nothing_when_nothing_did(organiser, session):
    services.session_update(session=session, by=organiser, title="Spreading, together")
    services.session_update(session=session, by=organiser, title="Spreading, together")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data) == (
        "events.session_changed",
        {"title": ["Spreading improvement", "Spreading, together"]},
    )


def test_a_change_that_fails_validation_leaves_no_row(organiser, session):
    with pytest.raises(ValidationError):
        services.session_update(session=session, by=organiser, end=session.start)

    assert AuditEntry.objects.count() == 0


def test_the_log_page_shows_who_did_what_and_filters_by_person_and_kind(
    organiser, host, event, session
):
    services.session_update(session=session, by=organiser, title="Renamed")
    services.track_create(event=event, name="Teams call", by=host)
    services.programme_unpublish(event=event, by=None)
    client = client_for(organiser)

    everything = client.get(_log_url(event)).content.decode()
    by_host = client.get(_log_url(event, person=host.pk)).content.decode()
    renames = client.get(_log_url(event, kind="events.session_changed")).content.decode()

    assert "3 changes" in everything
    assert "Changed a session: <strong>Renamed</strong>" in everything
    assert "Title: Spreading improvement → Renamed" in everything
    assert "The system" in everything  # no person: a command or scheduled job
    assert "1 change matching the filters" in by_host
    assert "Added a track: <strong>Teams call</strong>" in by_host
    assert "Renamed" not in by_host.split("<table")[1]
    assert "1 change matching the filters" in renames


def test_an_unknown_filter_value_is_a_clear_error_not_a_crash(organiser, event):
    response = client_for(organiser).get(_log_url(event, person="abc", kind="nope"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("persona", ["host", "attendee", "outsider"])
def test_only_the_events_organisers_read_its_log(persona, request, event):
    response = client_for(request.getfixturevalue(persona)).get(_log_url(event))

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_and_drafts_are_hidden(event, outsider):
    assert Client().get(_log_url(event))["Location"].startswith("/accounts/login/")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert client_for(outsider).get(_log_url(event)).status_code == 404


def test_an_organiser_of_another_event_sees_neither_its_log_nor_its_entries(organiser, event):
    other = EventFactory(slug="other")
    EventRole.objects.create(event=other, user=organiser, role=EventRole.Role.ORGANISER)
    services.track_create(event=event, name="Ours", by=organiser)
    services.track_create(event=other, name="Theirs", by=organiser)
    outsider_organiser = UserFactory(email="theirs@example.org")
    EventRole.objects.create(event=other, user=outsider_organiser, role=EventRole.Role.ORGANISER)

    theirs = client_for(outsider_organiser).get(_log_url(other)).content.decode()

    assert client_for(outsider_organiser).get(_log_url(event)).status_code == 403
    assert "Theirs" in theirs
    assert "Ours" not in theirs


@pytest.mark.parametrize("entries", [1, 3])
def test_the_log_page_runs_a_fixed_number_of_queries(organiser, event, entries):
    for i in range(entries):
        session = SessionFactory(event=event, title=f"Session {i}")
        services.session_cancel(session=session, by=organiser)
    client = client_for(organiser)
    client.get(_log_url(event))  # content types cached

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_log_url(event))

    assert response.status_code == 200
    assert f"{entries} change" in response.content.decode()
    assert len(ctx.captured_queries) == 7, [q["sql"] for q in ctx.captured_queries]


def test_deleting_an_account_takes_the_name_out_of_the_log_and_keeps_what_was_done(
    organiser, event
):
    services.track_create(event=event, name="Teams call", by=organiser)

    account_services.user_erase(user=organiser)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name, entry.action) == (
        None,
        "A deleted account",
        "events.track_created",
    )


def test_deleting_an_account_takes_its_address_out_of_invitations_in_the_log(
    organiser, session, outsider
):
    services.host_invite(
        session=session, email="Outsider@Example.org", role="host", invited_by=organiser
    )
    services.host_invite(
        session=session, email="someone@example.org", role="host", invited_by=organiser
    )

    account_services.user_erase(user=outsider)

    assert sorted(
        e.data["email"] for e in AuditEntry.objects.filter(action="events.host_invited")
    ) == [
        "A deleted account",
        "someone@example.org",
    ]
