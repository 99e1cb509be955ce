"""Setting events up without Django admin (issue 14, point 1; docs/decisions/0025):
who may create events, creating one, copying one, and the rules around them."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.accounts import services as account_services
from convene.accounts.models import User
from convene.core.models import AuditEntry
from convene.events import services
from convene.events.models import Event, EventRole, Host, Room, Session, Track
from convene.live.models import LiveSettings
from tests.events.interchange.conftest import table_counts
from tests.factories import EventFactory, HostFactory, RoomFactory, SessionFactory, UserFactory
from tests.personas import LOGIN, client_for, matrix, outcome

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
CREATE = reverse("events:event_create")
COPY = reverse("events:event_copy")
CREATORS = reverse("events:event_creators")
IMPORT_NEW = reverse("events:import_new_event")


@pytest.fixture
def creator(db):
    """Someone a superuser allowed to create events; no role anywhere."""
    return UserFactory(email="creator@example.org", name="Cleo Creator", can_create_events=True)


def _event_form(**changes) -> dict:
    data = {
        "title": "The Big Conversation 2031",
        "slug": "",
        "start_date": "2031-05-11",
        "end_date": "2031-05-12",
        "time_zone": "Europe/London",
        "format": "online",
        "strapline": "Unlocking everyone's power to improve",
        "description": "**Two days** of conversations.",
        "hashtags": "#ImprovingTogether",
    }
    return data | changes


# --- Who may open the pages (tests/personas.py) ---------------------------------------


@pytest.mark.parametrize("url", [CREATE, COPY, IMPORT_NEW])
@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"anonymous": LOGIN, "superuser": 200}, refused=403)
)
def test_only_people_allowed_to_create_events_open_the_creation_pages(
    as_persona, event, session, url, persona, expected
):
    assert outcome(as_persona(persona).get(url)) == expected


@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"anonymous": LOGIN, "superuser": 400}, refused=403)
)
def test_only_people_allowed_to_create_events_reach_a_new_events_preview(
    as_persona, event, session, persona, expected
):
    """No preview has this token: the one person let in is asked for the file again."""
    url = reverse("events:import_new_event_preview", kwargs={"preview": "no-such-preview"})

    assert outcome(as_persona(persona).get(url)) == expected


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (CREATE, "Create an event"),
        (COPY, "Copy an event"),
        (IMPORT_NEW, "Import a schedule into a new event"),
    ],
)
def test_a_person_a_superuser_allowed_opens_the_creation_pages(creator, url, heading):
    html = client_for(creator).get(url).content.decode()

    assert f"<h1>{heading}</h1>" in html  # the page itself, not "You cannot create events yet"
    assert "You cannot create events yet" not in html


def test_a_person_without_the_flag_gets_a_page_saying_whom_to_ask(organiser):
    response = client_for(organiser).get(CREATE)

    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot create events yet" in html
    assert "ask a <strong>site administrator</strong>" in html
    assert "<strong>organiser@example.org</strong>" in html
    assert "ask <strong>its organisers</strong> to add you to its team" in html


def test_a_person_without_the_flag_cannot_create_an_event_by_posting(organiser):
    before = table_counts()

    response = client_for(organiser).post(CREATE, _event_form())

    assert response.status_code == 403
    assert table_counts() == before


def test_a_deactivated_creator_may_not_create_events(creator):
    assert rules.has_perm("events.create_event", creator)

    creator.is_active = False
    creator.save()

    assert not rules.has_perm("events.create_event", User.objects.get(pk=creator.pk))


@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"anonymous": LOGIN, "superuser": 200}, refused=403)
)
def test_only_superusers_open_who_may_create_events(as_persona, event, session, persona, expected):
    assert outcome(as_persona(persona).get(CREATORS)) == expected


def test_a_creator_cannot_open_or_change_who_may_create_events(creator, outsider):
    client = client_for(creator)

    assert client.get(CREATORS).status_code == 403
    assert client.post(CREATORS, {"person": outsider.pk, "allowed": "yes"}).status_code == 403
    outsider.refresh_from_db()
    assert outsider.can_create_events is False


def test_the_creation_links_show_only_for_people_allowed(creator, attendee):
    allowed = client_for(creator).get(reverse("events:home")).content.decode()
    refused = client_for(attendee).get(reverse("events:home")).content.decode()

    assert f'href="{CREATE}"' in allowed
    assert f'href="{CREATORS}"' not in allowed
    assert f'href="{CREATE}"' not in refused


def test_the_organiser_area_links_to_creating_another_event(event, organiser, superuser):
    EventRole.objects.create(event=event, user=superuser, role=EventRole.Role.ORGANISER)
    grid = reverse("events:orga_grid", kwargs={"event": event.slug})

    assert f'href="{CREATE}"' in client_for(superuser).get(grid).content.decode()
    assert f'href="{CREATE}"' not in client_for(organiser).get(grid).content.decode()


# --- Who may create events: the superusers' page ---------------------------------------


def test_a_superuser_allows_someone_found_by_name_and_withdraws_it(superuser, outsider):
    client = client_for(superuser)

    assert client.get(CREATORS, {"q": "oz out"}).context["found"] == [outsider]
    assert client.get(CREATORS, {"q": "OUTSIDER@example"}).context["found"] == [outsider]
    assert client.get(CREATORS, {"q": "nobody"}).context["found"] == []

    response = client.post(CREATORS, {"person": outsider.pk, "allowed": "yes"})
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.can_create_events is True
    page = client.get(CREATORS)
    assert page.context["creators"] == [outsider]
    assert client.get(CREATORS, {"q": "Outsider"}).context["found"] == []
    assert client_for(outsider).get(CREATE).status_code == 200

    client.post(CREATORS, {"person": outsider.pk, "allowed": "no"})
    outsider.refresh_from_db()
    assert outsider.can_create_events is False
    assert client_for(outsider).get(CREATE).status_code == 403
    log = AuditEntry.objects.filter(event_id=None).order_by("id")
    assert list(log.values_list("actor_id", "action", "object_id", "data")) == [
        (superuser.pk, "accounts.event_creation_allowed", outsider.pk,
         {"can_create_events": [False, True]}),
        (superuser.pk, "accounts.event_creation_withdrawn", outsider.pk,
         {"can_create_events": [True, False]}),
    ]  # fmt: skip


def test_withdrawing_leaves_the_events_a_person_organises_theirs(superuser, creator):
    event = services.event_create(by=creator, **_fields())
    client_for(superuser).post(CREATORS, {"person": creator.pk, "allowed": "no"})

    settings_url = reverse("events:orga_settings", kwargs={"event": event.slug})
    assert client_for(creator).get(settings_url).status_code == 200


def test_allowing_someone_twice_records_it_once(superuser, outsider):
    client = client_for(superuser)
    client.post(CREATORS, {"person": outsider.pk, "allowed": "yes"})
    client.post(CREATORS, {"person": outsider.pk, "allowed": "yes"})

    assert AuditEntry.objects.filter(action="accounts.event_creation_allowed").count() == 1


def test_allowing_nobody_answers_not_found(superuser):
    assert (
        client_for(superuser).post(CREATORS, {"person": "999", "allowed": "yes"}).status_code == 404
    )
    assert client_for(superuser).post(CREATORS, {"allowed": "yes"}).status_code == 404
    # Not a number at all: the same answer, not a 500.
    assert (
        client_for(superuser).post(CREATORS, {"person": "abc", "allowed": "yes"}).status_code == 404
    )


@pytest.mark.parametrize("count", [1, 3])
def test_who_may_create_events_runs_a_fixed_number_of_queries(superuser, count):
    for n in range(count):
        UserFactory(name=f"Creator {n}", can_create_events=True)
        UserFactory(name=f"Candidate {n}")
    client = client_for(superuser)
    client.get(CREATORS)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CREATORS, {"q": "Candidate"})

    assert len(response.context["creators"]) == count
    assert len(response.context["found"]) == count
    # session, user, creators, administrators, people found
    assert len(queries.captured_queries) == 5, [q["sql"] for q in queries.captured_queries]


# --- Creating an event ----------------------------------------------------------------


def _fields(**changes) -> dict:
    return {
        "title": "Spread 2031",
        "slug": "",
        "start_date": date(2031, 5, 11),
        "end_date": date(2031, 5, 11),
    } | changes


def test_a_creator_creates_a_draft_event_and_organises_it(creator):
    response = client_for(creator).post(CREATE, _event_form())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:orga_settings", kwargs={"event": event.slug})
    assert (event.slug, event.title, event.start_date, event.end_date) == (
        "the-big-conversation-2031",
        "The Big Conversation 2031",
        date(2031, 5, 11),
        date(2031, 5, 12),
    )
    assert (event.format, event.time_zone, event.hashtags) == (
        "online",
        "Europe/London",
        "#ImprovingTogether",
    )
    assert (event.status, event.programme_published) == (Event.Status.DRAFT, False)
    assert list(event.roles.values_list("user_id", "role")) == [(creator.pk, "organiser")]
    entry = AuditEntry.objects.get(event_id=event.pk)
    assert (entry.actor, entry.action, entry.data["slug"]) == (
        creator,
        "events.event_created",
        "the-big-conversation-2031",
    )
    # Its organiser sees the draft; nobody else does.
    assert client_for(creator).get(event.get_absolute_url()).status_code == 200
    assert client_for(UserFactory()).get(event.get_absolute_url()).status_code == 404


def test_a_typed_slug_is_kept_and_an_empty_one_is_made_unique_from_the_title(creator):
    EventFactory(slug="the-big-conversation-2031")
    client = client_for(creator)

    client.post(CREATE, _event_form())
    client.post(CREATE, _event_form(slug="bc31"))

    assert set(Event.objects.values_list("slug", flat=True)) == {
        "the-big-conversation-2031",
        "the-big-conversation-2031-2",
        "bc31",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "taken"}, "slug", "There is already an event at /events/taken/"),
        ({"slug": "new"}, "slug", "“new” is a word the organiser area uses"),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"end_date": "2031-05-10"}, "end_date", "The event cannot end before it starts."),
        ({"end_date": "2031-07-01"}, "end_date", "An event can last 31 days at most."),
        ({"start_date": "1999-12-31"}, "start_date", "Choose a day between 1 January 2000"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_input_re_renders_with_a_field_error_and_stores_nothing(
    creator, changes, field, message
):
    EventFactory(slug="taken")
    before = table_counts() | {"log": AuditEntry.objects.count()}

    response = client_for(creator).post(CREATE, _event_form(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert table_counts() | {"log": AuditEntry.objects.count()} == before


def test_the_service_refuses_a_duplicate_slug_and_reversed_dates_storing_nothing(creator):
    EventFactory(slug="taken")
    before = table_counts()

    with pytest.raises(ValidationError) as duplicate:
        services.event_create(by=creator, **_fields(slug="taken"))
    with pytest.raises(ValidationError) as reversed_dates:
        services.event_create(by=creator, **_fields(end_date=date(2031, 5, 1)))

    assert "There is already an event" in duplicate.value.message_dict["slug"][0]
    assert reversed_dates.value.message_dict["end_date"] == [
        "The event cannot end before it starts."
    ]
    assert table_counts() == before


def test_a_slug_is_suggested_from_a_title_that_only_has_other_characters(creator):
    event = services.event_create(by=creator, **_fields(title="¡¿!"))

    assert event.slug == "event"


def test_the_create_page_loads_the_slug_script_as_a_module(creator):
    html = client_for(creator).get(CREATE).content.decode()

    assert '<script type="module" src="/static/dist/js/slug.mjs"></script>' in html
    assert 'data-slug-from="id_title"' in html
    assert "<script>" not in html  # no inline script (CSP)


# --- Copying an event -----------------------------------------------------------------


@pytest.fixture
def earlier(organiser, event):
    """Last year's event, organised by `organiser`: two rooms, a track, a team, live
    settings, two sessions with hosts and join links, and one cancelled."""
    event.time_zone = "Europe/London"
    event.contact_email = "team@example.org"
    event.save()
    main, side = (
        RoomFactory(event=event, name="Main stage", position=0),
        RoomFactory(event=event, name="Side room", position=1),
    )
    track = Track.objects.create(event=event, name="Spread", position=0)
    judge = UserFactory(email="judge2@example.org")
    EventRole.objects.create(event=event, user=judge, role=EventRole.Role.JUDGE)
    opening = SessionFactory(
        event=event,
        slug="opening",
        title="Opening",
        kind=Session.Kind.PLENARY,
        type_name="Keynote",
        room=main,
        track=track,
        capacity=200,
        join_url="https://teams.example.org/j/old",
        join_provider="Microsoft Teams",
        start=datetime(2030, 5, 11, 10, 0, tzinfo=LONDON),
        end=datetime(2030, 5, 11, 11, 0, tzinfo=LONDON),
    )
    host_user = UserFactory(email="hostess@example.org", name="Hostess")
    services.host_add(session=opening, role=Host.Role.HOST, user=host_user, by=None)
    HostFactory(session=opening, guest_name="Guest Speaker", role=Host.Role.SPEAKER, position=2)
    SessionFactory(
        event=event,
        slug="day-two",
        title="Day two",
        room=side,
        start=datetime(2030, 5, 12, 14, 30, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 15, 30, tzinfo=LONDON),
    )
    SessionFactory(
        event=event,
        slug="called-off",
        title="Called off",
        status=Session.Status.CANCELLED,
        start=datetime(2030, 5, 12, 9, 0, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 10, 0, tzinfo=LONDON),
    )
    LiveSettings.objects.create(event=event, read_access="anyone", retention_days=30)
    return event


def _copy_form(source, **changes) -> dict:
    return {
        "source": source.pk,
        "title": "The Big Conversation 2031",
        "slug": "",
        "start_date": "2031-05-10",
        "end_date": "",
    } | changes


def test_copying_an_event_without_its_sessions(organiser, earlier):
    organiser.can_create_events = True
    organiser.save()

    response = client_for(organiser).post(COPY, _copy_form(earlier))

    copy = Event.objects.get(slug="the-big-conversation-2031")
    assert response.status_code == 302
    assert (copy.start_date, copy.end_date) == (date(2031, 5, 10), date(2031, 5, 11))
    assert (copy.status, copy.contact_email, copy.time_zone) == (
        "draft",
        "team@example.org",
        "Europe/London",
    )
    assert list(copy.rooms.values_list("name", "position")) == [
        ("Main stage", 0),
        ("Side room", 1),
    ]
    assert list(copy.tracks.values_list("name", flat=True)) == ["Spread"]
    assert sorted(copy.roles.values_list("user__email", "role")) == [
        ("judge2@example.org", "judge"),
        ("organiser@example.org", "organiser"),
    ]
    assert copy.sessions.count() == 0
    live = LiveSettings.objects.get(event=copy)
    assert (live.read_access, live.retention_days) == ("anyone", 30)
    entry = AuditEntry.objects.get(event_id=copy.pk, action="events.event_copied")
    assert entry.data == {
        "from": "The Big Conversation",
        "rooms": 2,
        "tracks": 1,
        "team": 2,
        "sessions": 0,
    }
    # The earlier event is untouched.
    assert earlier.sessions.count() == 3
    assert LiveSettings.objects.filter(event=earlier).count() == 1


def test_copying_an_event_with_its_sessions_shifts_them_to_the_new_dates(organiser, earlier):
    organiser.can_create_events = True
    organiser.save()

    client_for(organiser).post(COPY, _copy_form(earlier, with_sessions="on"))

    copy = Event.objects.get(slug="the-big-conversation-2031")
    sessions = list(copy.sessions.order_by("start").select_related("room", "track"))
    assert [s.slug for s in sessions] == ["opening", "day-two"]  # not the cancelled one
    opening, day_two = sessions
    # 11 May 2030 was the first day, 10 May 2031 is: one day later in the event, one
    # day later here; the same local times, across the clocks (both in summer time).
    assert (opening.start, opening.end) == (
        datetime(2031, 5, 10, 9, 0, tzinfo=UTC),
        datetime(2031, 5, 10, 10, 0, tzinfo=UTC),
    )
    assert day_two.start.astimezone(LONDON) == datetime(2031, 5, 11, 14, 30, tzinfo=LONDON)
    assert (opening.room.event_id, opening.room.name) == (copy.pk, "Main stage")
    assert (opening.track.event_id, opening.track.name) == (copy.pk, "Spread")
    assert (opening.kind, opening.type_name, opening.capacity) == ("plenary", "Keynote", 200)
    assert (opening.join_url, opening.join_provider) == ("", "")
    assert opening.uid != earlier.sessions.get(slug="opening").uid
    assert list(opening.hosts.values_list("user__email", "guest_name", "role")) == [
        ("hostess@example.org", "", "host"),
        (None, "Guest Speaker", "speaker"),
    ]
    assert ("hostess@example.org", "host") in set(copy.roles.values_list("user__email", "role"))
    assert (
        AuditEntry.objects.get(event_id=copy.pk, action="events.event_copied").data["sessions"] == 2
    )


def test_a_copy_whose_dates_cannot_hold_the_sessions_stores_nothing(organiser, earlier, settings):
    settings.SESSION_DATE_SLACK_DAYS = 0  # else a day either side is allowed (decision 0012)
    organiser.can_create_events = True
    organiser.save()
    before = table_counts() | {"live": LiveSettings.objects.count()}

    response = client_for(organiser).post(
        COPY, _copy_form(earlier, with_sessions="on", end_date="2031-05-10")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == [
        "1 session falls outside the new dates once moved (the first: “Day two”, 11 May "
        "2031). Choose dates as long as the earlier event's, or copy it without its sessions"
    ]
    assert table_counts() | {"live": LiveSettings.objects.count()} == before


def test_the_copy_page_offers_only_events_the_person_organises(creator, earlier):
    mine = services.event_create(by=creator, **_fields())
    client = client_for(creator)

    offered = list(client.get(COPY).context["form"].fields["source"].queryset)
    response = client.post(COPY, _copy_form(earlier))

    assert offered == [mine]
    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    assert not Event.objects.filter(slug="the-big-conversation-2031").exists()


def test_the_copy_page_preselects_the_event_named_in_the_address(organiser, earlier):
    organiser.can_create_events = True
    organiser.save()

    form = client_for(organiser).get(COPY, {"from": earlier.slug}).context["form"]

    assert form.initial["source"] == earlier


@pytest.mark.parametrize("count", [1, 3])
def test_the_copy_page_runs_a_fixed_number_of_queries(creator, count):
    for n in range(count):
        services.event_create(by=creator, **_fields(title=f"Event {n}"))
    client = client_for(creator)
    client.get(COPY)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(COPY)

    assert response.content.decode().count("<option value=") == count + 1  # and "Choose"
    # session, user, the sources (exists, then the options)
    assert len(queries.captured_queries) == 4, [q["sql"] for q in queries.captured_queries]


def test_a_copy_keeps_local_times_across_a_change_of_the_clocks(organiser):
    source = EventFactory(slug="winter", start_date=date(2030, 3, 30), end_date=date(2030, 3, 31))
    SessionFactory(
        event=source,
        slug="morning",
        start=datetime(2030, 3, 30, 9, 0, tzinfo=LONDON),  # GMT
        end=datetime(2030, 3, 30, 10, 0, tzinfo=LONDON),
    )

    copy = services.event_copy(
        source=source,
        by=organiser,
        title="Summer",
        start_date=date(2030, 4, 6),  # BST
        end_date=date(2030, 4, 7),
        with_sessions=True,
    )

    session = copy.sessions.get()
    assert session.start.astimezone(LONDON) == datetime(2030, 4, 6, 9, 0, tzinfo=LONDON)
    assert session.start - datetime(2030, 3, 30, 9, 0, tzinfo=LONDON) == timedelta(days=7, hours=-1)


def test_the_reserved_words_are_never_event_addresses():
    assert {"new", "event-creators"} <= Event.RESERVED_SLUGS
    assert reverse("events:event_create") == "/orga/new/"
    assert reverse("events:event_creators") == "/orga/event-creators/"
    assert services.event_slug_suggest("New") == "new-2"


def test_a_room_copy_belongs_to_the_copy():
    source = EventFactory()
    RoomFactory(event=source, name="Call")

    copy = services.event_copy(
        source=source,
        by=None,
        title="Again",
        start_date=date(2031, 1, 1),
        end_date=date(2031, 1, 1),
    )

    assert list(Room.objects.filter(name="Call").values_list("event_id", flat=True)) == [
        source.pk,
        copy.pk,
    ]
    assert copy.roles.count() == 0  # made by the system: no organiser


def test_deleting_an_account_withdraws_its_right_to_create_events(creator):
    account_services.user_erase(user=creator)

    creator.refresh_from_db()
    assert (creator.can_create_events, creator.is_active) == (False, False)
    assert not rules.has_perm("events.create_event", creator)
