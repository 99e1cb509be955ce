"""The organiser area: permissions, editing sessions, moving them, hosts, tracks, publishing."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from convene.console.models import GroupMessage
from convene.events.models import Event, EventRole, Host, HostInvitation, Session, Track
from tests.factories import EventFactory, HostFactory, RoomFactory, SessionFactory, TrackFactory
from tests.personas import LOGIN, client_for, outcome, sign_in_url

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _orga_urls(session) -> list[str]:
    slug = session.event.slug
    track = TrackFactory(event=session.event)
    return [
        reverse("events:orga_grid", kwargs={"event": slug}),
        reverse("events:orga_problems", kwargs={"event": slug}),
        reverse("events:orga_sessions", kwargs={"event": slug}),
        reverse("events:orga_session_create", kwargs={"event": slug}),
        reverse("events:orga_session", kwargs={"event": slug, "pk": session.pk}),
        reverse("events:orga_session_move", kwargs={"event": slug, "pk": session.pk}),
        reverse("events:orga_tracks", kwargs={"event": slug}),
        reverse("events:orga_track", kwargs={"event": slug, "pk": track.pk}),
    ]


def test_every_organiser_page_opens_for_the_organiser(organiser, session):
    client = client_for(organiser)

    statuses = [client.get(url).status_code for url in _orga_urls(session)]

    assert statuses == [200] * 8


@pytest.mark.parametrize(
    "persona", ["host", "moderator", "speaker", "judge", "attendee", "outsider"]
)
def test_organiser_pages_refuse_other_personas(as_persona, persona, session):
    client = as_persona(persona)

    statuses = {url: client.get(url).status_code for url in _orga_urls(session)}

    assert set(statuses.values()) == {403}


def test_organiser_pages_send_anonymous_visitors_to_sign_in(session):
    urls = _orga_urls(session)
    responses = [Client().get(url) for url in urls]

    assert {outcome(r) for r in responses} == {LOGIN}
    assert [r["Location"] for r in responses] == [sign_in_url(url) for url in urls]


@pytest.mark.parametrize(
    "name",
    ["orga_publish", "orga_session_cancel", "orga_host_add", "orga_host_invite"],
)
def test_organiser_writes_refuse_an_organiser_of_another_event(name, session, outsider):
    other = Event.objects.create(
        slug="other", title="Other", start_date="2030-01-01", end_date="2030-01-01"
    )
    EventRole.objects.create(event=other, user=outsider, role=EventRole.Role.ORGANISER)
    kwargs = {"event": session.event.slug}
    if name != "orga_publish":
        kwargs["pk"] = session.pk

    response = client_for(outsider).post(
        reverse(f"events:orga_{name[5:]}", kwargs=kwargs), {"publish": "yes"}
    )

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_organiser_adds_a_session_with_times_in_the_event_zone(organiser, event):
    track = TrackFactory(event=event, name="Teams call")

    response = client_for(organiser).post(
        reverse("events:orga_session_create", kwargs={"event": event.slug}),
        {
            "title": "Scale and spread",
            "kind": "open_conversation",
            "day": "2030-05-12",
            "start_time": "10:20",
            "end_time": "10:55",
            "track": track.pk,
            "join_provider": "Microsoft Teams",
            "join_url": "https://teams.example.org/j/1",
        },
    )

    session = Session.objects.get(title="Scale and spread")
    assert response.status_code == 302
    assert (session.start, session.end) == (
        datetime(2030, 5, 12, 9, 20, tzinfo=UTC),
        datetime(2030, 5, 12, 9, 55, tzinfo=UTC),
    )
    assert (session.slug, session.track, session.event) == ("scale-and-spread", track, event)


@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        (("2030-05-11", "11:00", "10:00"), None, None),  # ends next day: allowed
        (("not a day", "10:00", "11:00"), "day", "Enter a valid date."),
        (("2030-05-11", "10:00", "10:00"), "end_time", "The session must end after it starts."),
    ],
)
def test_session_form_validates_times_and_stores_nothing_on_error(
    organiser, event, times, field, message
):
    day, start, end = times

    response = client_for(organiser).post(
        reverse("events:orga_session_create", kwargs={"event": event.slug}),
        {"title": "Timed", "kind": "workshop", "day": day, "start_time": start, "end_time": end},
    )

    if field is None:
        assert response.status_code == 302
        assert Session.objects.get(title="Timed").end.astimezone(LONDON).day == 12
    else:
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert not Session.objects.filter(title="Timed").exists()
        assert b"There is a problem" in response.content


def test_session_form_refuses_a_time_the_clocks_skip(organiser):
    event = EventFactory(start_date=date(2030, 3, 31), end_date=date(2030, 3, 31))
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)

    response = client_for(organiser).post(
        reverse("events:orga_session_create", kwargs={"event": event.slug}),
        {"title": "Timed", "kind": "workshop", "day": "2030-03-31", "start_time": "01:30",
         "end_time": "02:30"},
    )  # fmt: skip

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "start_time": [
            "01:30 does not exist on 31 March 2030 in Europe/London: the clocks go forward."
        ]
    }
    assert not Session.objects.filter(title="Timed").exists()


def test_organiser_edits_a_session_and_its_sequence_rises(organiser, session):
    client = client_for(organiser)
    url = reverse("events:orga_session", kwargs={"event": session.event.slug, "pk": session.pk})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"title": "Renamed", "day": "2030-05-11", "start_time": "14:00", "end_time": "15:00"}

    response = client.post(url, data)

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.title == "Renamed"
    assert session.start == datetime(2030, 5, 11, 13, 0, tzinfo=UTC)
    assert session.sequence == 1


def test_move_without_javascript_changes_time_and_room(organiser, session):
    room = RoomFactory(event=session.event, name="Room B")
    url = reverse(
        "events:orga_session_move", kwargs={"event": session.event.slug, "pk": session.pk}
    )

    response = client_for(organiser).post(
        url, {"day": "2030-05-12", "start_time": "09:00", "end_time": "09:45", "room": room.pk}
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#session-{session.pk}")
    assert (session.start, session.room) == (datetime(2030, 5, 12, 8, 0, tzinfo=UTC), room)


def test_move_with_htmx_returns_the_updated_grid(organiser, session):
    url = reverse(
        "events:orga_session_move", kwargs={"event": session.event.slug, "pk": session.pk}
    )

    response = client_for(organiser).post(
        url,
        {"day": "2030-05-12", "start_time": "09:00", "end_time": "09:45", "room": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'id="programme-grid"' in response.content.decode()
    assert "“Spreading improvement” moved." in response.content.decode()


def test_move_with_htmx_and_bad_input_re_renders_the_form_in_the_card(organiser, session):
    url = reverse(
        "events:orga_session_move", kwargs={"event": session.event.slug, "pk": session.pk}
    )
    before = (session.start, session.end)

    response = client_for(organiser).post(
        url,
        {"day": "2030-05-12", "start_time": "09:00", "end_time": "09:00"},
        HTTP_HX_REQUEST="true",
    )

    session.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#session-{session.pk}"
    assert "The session must end after it starts." in response.content.decode()
    assert (session.start, session.end) == before


def test_grid_shows_a_clash_warning_after_a_move_into_a_clash(organiser, event):
    room = RoomFactory(event=event, name="Main stage")
    first = SessionFactory(event=event, title="First", room=room)
    second = SessionFactory(
        event=event,
        title="Second",
        room=room,
        start=first.end,
        end=first.end.replace(hour=first.end.hour + 1),
    )
    client = client_for(organiser)

    client.post(
        reverse("events:orga_session_move", kwargs={"event": event.slug, "pk": second.pk}),
        {"day": "2030-05-11", "start_time": "10:30", "end_time": "11:30", "room": room.pk},
    )
    html = client.get(reverse("events:orga_grid", kwargs={"event": event.slug})).content.decode()

    assert "“First” and “Second” overlap in Main stage." in html


def test_publish_and_unpublish_the_programme(organiser, event):
    client = client_for(organiser)
    url = reverse("events:orga_publish", kwargs={"event": event.slug})

    client.post(url, {"publish": "no"})
    hidden = Event.objects.get(pk=event.pk).programme_published
    client.post(url, {"publish": "yes"})

    assert (hidden, Event.objects.get(pk=event.pk).programme_published) == (False, True)


def test_cancel_keeps_the_session_visible_marked_cancelled_then_reinstate(organiser, session):
    client = client_for(organiser)
    url = reverse(
        "events:orga_session_cancel", kwargs={"event": session.event.slug, "pk": session.pk}
    )

    client.post(url)
    public = Client().get(session.get_absolute_url())
    cancelled_status = Session.objects.get(pk=session.pk).status
    client.post(url, {"reinstate": "yes"})

    assert cancelled_status == Session.Status.CANCELLED
    assert public.status_code == 200
    assert b"This session has been cancelled" in public.content
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED


def test_tracks_add_rename_refuse_duplicate_and_delete(organiser, event):
    client = client_for(organiser)
    tracks_url = reverse("events:orga_tracks", kwargs={"event": event.slug})

    client.post(tracks_url, {"name": "Main stage"})
    duplicate = client.post(tracks_url, {"name": "main stage"})
    track = Track.objects.get(event=event)
    client.post(
        reverse("events:orga_track", kwargs={"event": event.slug, "pk": track.pk}),
        {"name": "Plenary room"},
    )
    renamed = Track.objects.get(pk=track.pk).name
    session = SessionFactory(event=event, track=track)
    client.post(
        reverse("events:orga_track", kwargs={"event": event.slug, "pk": track.pk}),
        {"delete": "yes"},
    )

    assert duplicate.status_code == 400
    assert "There is already a track with this name." in duplicate.content.decode()
    assert renamed == "Plenary room"
    assert not Track.objects.filter(event=event).exists()
    assert Session.objects.get(pk=session.pk).track is None


def test_add_and_remove_a_guest_host(organiser, session):
    client = client_for(organiser)
    kwargs = {"event": session.event.slug, "pk": session.pk}

    client.post(
        reverse("events:orga_host_add", kwargs=kwargs),
        {"guest_name": "Joe Sladen", "role": "co_host", "organisation": "Wessex AHSN"},
    )
    host = Host.objects.get(session=session)
    client.post(reverse("events:orga_host_remove", kwargs=kwargs | {"host_pk": host.pk}))

    assert (host.guest_name, host.role, host.organisation) == (
        "Joe Sladen",
        "co_host",
        "Wessex AHSN",
    )
    assert not Host.objects.filter(session=session).exists()


def test_add_host_with_bad_input_re_renders_and_stores_nothing(organiser, session):
    response = client_for(organiser).post(
        reverse("events:orga_host_add", kwargs={"event": session.event.slug, "pk": session.pk}),
        {"guest_name": "", "role": "emperor"},
    )

    assert response.status_code == 400
    assert set(response.context["host_form"].errors) == {"guest_name", "role"}
    assert not Host.objects.filter(session=session).exists()


def test_grid_query_count_does_not_grow_with_sessions(organiser, event, django_assert_num_queries):
    client = client_for(organiser)
    url = reverse("events:orga_grid", kwargs={"event": event.slug})
    SessionFactory(event=event)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(2):
        HostFactory(session=SessionFactory(event=event, track=TrackFactory(event=event)))
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(one.captured_queries) == len(three.captured_queries)


def _invite(organiser, session, email, django_capture_on_commit_callbacks):
    kwargs = {"event": session.event.slug, "pk": session.pk}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(
            reverse("events:orga_host_invite", kwargs=kwargs),
            {"email": email, "role": "lived_experience_partner"},
        )
    return HostInvitation.objects.get()


def test_invitation_is_emailed_and_accepted_by_the_invited_address(
    organiser,
    session,
    django_user_model,
    mailoutbox,
    tasks_at_once,
    django_capture_on_commit_callbacks,
):
    invited = django_user_model.objects.create_user(
        "carol@example.org", "pw-long-enough-1", name="Carol Munt"
    )

    invitation = _invite(
        organiser, session, "Carol@Example.org", django_capture_on_commit_callbacks
    )
    (message,) = mailoutbox
    accept_url = invitation.get_absolute_url()
    response = client_for(invited).post(accept_url)

    assert message.to == ["carol@example.org"]
    assert message.subject == "You are invited to host “Spreading improvement”"
    assert f"http://127.0.0.1:8000{accept_url}" in message.body
    assert f"http://127.0.0.1:8000{accept_url}" in message.alternatives[0].content

    assert response.status_code == 302
    host = Host.objects.get(session=session, user=invited)
    assert host.role == "lived_experience_partner"
    assert EventRole.objects.filter(event=session.event, user=invited, role="host").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited


def test_invitation_is_refused_to_another_account_and_cannot_be_used_twice(
    organiser,
    session,
    outsider,
    django_user_model,
    tasks_at_once,
    django_capture_on_commit_callbacks,
):
    invited = django_user_model.objects.create_user("carol@example.org", "pw-long-enough-1")
    invitation = _invite(
        organiser, session, "carol@example.org", django_capture_on_commit_callbacks
    )

    wrong = client_for(outsider).post(invitation.get_absolute_url())
    client_for(invited).post(invitation.get_absolute_url())
    again = client_for(invited).post(invitation.get_absolute_url())
    anonymous = Client().get(invitation.get_absolute_url())

    assert wrong.status_code == 400
    assert "This invitation was sent to carol@example.org" in wrong.content.decode()
    assert again.status_code == 400
    assert Host.objects.filter(session=session, user=invited).count() == 1
    assert not Host.objects.filter(session=session, user=outsider).exists()
    assert outcome(anonymous) == LOGIN


def test_unknown_invitation_token_is_a_404(attendee):
    assert client_for(attendee).get("/host-invitations/not-a-token/").status_code == 404


def test_move_form_is_filled_with_the_sessions_day_and_times_in_iso_form(organiser, session):
    url = reverse(
        "events:orga_session_move", kwargs={"event": session.event.slug, "pk": session.pk}
    )

    html = client_for(organiser).get(url).content.decode()

    inputs = {
        re.search(r'name="(\w+)"', tag).group(1): re.search(r'value="([^"]*)"', tag).group(1)
        for tag in re.findall(r'<input type="(?:date|time)"[^>]*>', html)
    }
    assert inputs == {"day": "2030-05-11", "start_time": "10:00", "end_time": "11:00"}


# --- Drafts: every /orga/ URL answers 404 to people who may not see the event -----

# Every organiser-area URL, with the keyword arguments it takes (besides `event`).
ORGA_URLS = {
    "events:orga_grid": [],
    "events:orga_settings": [],
    "events:orga_publish": [],
    "events:orga_problems": [],
    "events:orga_sessions": [],
    "events:orga_session_create": [],
    "events:orga_session": ["pk"],
    "events:orga_session_move": ["pk"],
    "events:orga_session_cancel": ["pk"],
    "events:orga_host_add": ["pk"],
    "events:orga_host_remove": ["pk", "host_pk"],
    "events:orga_host_invite": ["pk"],
    "events:orga_tracks": [],
    "events:orga_log": [],
    "events:orga_track": ["track"],
    "events:orga_schedule_csv": [],
    "events:orga_exports": [],
    "events:orga_import": [],
    "events:orga_import_preview": ["preview"],
    "events:orga_team": [],
    "events:orga_team_role_add": [],
    "events:orga_team_role_remove": [],
    "events:orga_team_invitation_resend": ["pk"],
    "events:orga_team_invitation_revoke": ["pk"],
    "attendance:orga_registrations": [],
    "attendance:orga_registrations_csv": [],
    "attendance:orga_numbers": [],
    "attendance:orga_session": ["pk"],
    "attendance:orga_mark_attendance": ["pk"],
    "live:event_settings": [],
    "console:dashboard": [],
    "console:messages": [],
    "console:message_new": [],
    "console:message": ["message"],
}
# The organiser area's pages of no event (setting events up, docs/decisions/0025): the
# addresses Event.RESERVED_SLUGS keeps from events (tests/events/test_setup.py).
SITE_ORGA_URLS = {
    "events:event_create": [],
    "events:event_copy": [],
    "events:event_creators": [],
    "events:import_new_event": [],
    "events:import_new_event_preview": ["preview"],
}
# Those that answer a GET (the rest are POST only).
ORGA_PAGES = [name for name in ORGA_URLS if not name.endswith(("publish", "cancel", "add",
    "remove", "invite", "attendance", "resend", "revoke"))]  # fmt: skip
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _all_orga_url_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix: str, namespace: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and route.startswith("orga/"):
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns, "", ""))


@pytest.fixture
def draft(event, session):
    event.status = Event.Status.DRAFT
    event.save()
    return event


def _orga_url(name: str, slug: str, session) -> str:
    track = session.event.tracks.first() or TrackFactory(event=session.event)
    host = session.hosts.first() or HostFactory(session=session)
    message = session.event.group_messages.first() or GroupMessage.objects.create(
        event=session.event, group="team", subject="Briefing", body="Hello", optional=False
    )
    values = {
        "pk": session.pk,
        "host_pk": host.pk,
        "track": track.pk,
        "message": message.pk,
        "preview": "a-token",
    }
    kwargs = {
        ("pk" if key in ("track", "message") else key): values[key] for key in ORGA_URLS[name]
    }
    return reverse(name, kwargs={"event": slug, **kwargs})


def _page(response) -> tuple[int, str]:
    return response.status_code, CSRF_TOKEN.sub("", response.content.decode())


def test_the_draft_table_lists_every_organiser_url():
    assert _all_orga_url_names() == set(ORGA_URLS) | set(SITE_ORGA_URLS)


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ORGA_URLS)
def test_organiser_urls_of_a_draft_answer_as_a_missing_event(
    as_persona, draft, session, persona, method, name
):
    client = as_persona(persona)
    draft_url = _orga_url(name, draft.slug, session)
    missing_url = _orga_url(name, "no-such-event", session)

    answer = getattr(client, method)(draft_url)
    missing = getattr(client, method)(missing_url)

    assert _page(answer) == _page(missing)
    assert answer.status_code == 404
    assert "Page not found" in answer.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.programme_published) == ("draft", True)


@pytest.mark.parametrize("name", ORGA_PAGES)
def test_organiser_urls_of_a_draft_open_for_its_organiser(organiser, draft, session, name):
    response = client_for(organiser).get(_orga_url(name, draft.slug, session))

    assert response.status_code == 200
