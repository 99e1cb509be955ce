"""The event settings page (/orga/<event>/settings/, issue 14 point 2) and the event's
privacy notice and accessibility statement, linked from the foot of its pages."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from convene.core.models import AuditEntry
from convene.events import extensions
from convene.events.extensions import SettingsSection
from convene.events.models import Event, EventRole
from convene.live import services as live_services
from tests.factories import EventFactory, SessionFactory
from tests.personas import DRAFT_PERSONAS, LOGIN, client_for, matrix, outcome

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _url(event) -> str:
    return reverse("events:orga_settings", kwargs={"event": event.slug})


def _form(event, **changes) -> dict:
    data = {
        "title": event.title,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "time_zone": event.time_zone,
        "format": event.format,
        "strapline": event.strapline,
        "description": event.description,
        "hashtags": event.hashtags,
        "status": event.status,
        "programme_published": "on" if event.programme_published else "",
        "contact_email": event.contact_email,
        "privacy_notice": event.privacy_notice,
        "accessibility_statement": event.accessibility_statement,
    }
    return {key: value for key, value in (data | changes).items() if value != ""}


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix({"anonymous": LOGIN, "organiser": 200, "superuser": 200}, refused=403),
)
def test_only_the_events_organisers_open_its_settings(as_persona, session, persona, expected):
    assert outcome(as_persona(persona).get(_url(session.event))) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {"organiser": 200, "superuser": 200, "host": 403, "moderator": 403, "judge": 403},
        refused=404,
        personas=DRAFT_PERSONAS,
    ),
)
def test_a_drafts_settings_are_missing_to_people_without_a_role(
    as_persona, session, persona, expected
):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)

    assert outcome(as_persona(persona).get(_url(session.event))) == expected


def test_an_organiser_of_another_event_can_neither_see_nor_change_its_settings(event, outsider):
    other = EventFactory(slug="other")
    EventRole.objects.create(event=other, user=outsider, role=EventRole.Role.ORGANISER)
    client = client_for(outsider)

    assert client.get(_url(event)).status_code == 403
    assert client.post(_url(event), _form(event, title="Taken over")).status_code == 403
    event.refresh_from_db()
    assert event.title == "The Big Conversation"
    assert client.get(_url(other)).status_code == 200


def test_an_organiser_changes_the_settings_and_the_log_names_the_fields(organiser, event):
    response = client_for(organiser).post(
        _url(event),
        _form(
            event,
            title="The Big Conversation 2030",
            status="draft",
            programme_published="",
            contact_email="team@example.org",
            privacy_notice="We keep **little**.",
            time_zone="Europe/Dublin",
        ),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.status, event.programme_published) == (
        "The Big Conversation 2030",
        "draft",
        False,
    )
    assert (event.contact_email, event.privacy_notice, event.time_zone) == (
        "team@example.org",
        "We keep **little**.",
        "Europe/Dublin",
    )
    # Hiding the programme reads as it does from the grid's button; the rest as settings.
    hidden, entry = AuditEntry.objects.filter(event_id=event.pk).order_by("id")
    assert (hidden.actor, hidden.action) == (organiser, "events.programme_unpublished")
    assert (entry.actor, entry.action) == (organiser, "events.settings_changed")
    assert entry.data == {
        "title": ["The Big Conversation", "The Big Conversation 2030"],
        "time_zone": ["Europe/London", "Europe/Dublin"],
        "status": ["published", "draft"],
        "contact_email": ["", "team@example.org"],
        "privacy_notice": ["", "We keep **little**."],
    }


def test_saving_unchanged_settings_writes_no_log_row(organiser, event):
    response = client_for(organiser).post(_url(event), _form(event))

    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2030-05-10"}, "end_date", "The event cannot end before it starts."),
        ({"end_date": "2030-07-01"}, "end_date", "An event can last 31 days at most."),
        ({"contact_email": "not an address"}, "contact_email", "Enter a valid email address."),
        ({"status": "cancelled"}, "status", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_settings_re_render_with_a_field_error_and_store_nothing(
    organiser, event, changes, field, message
):
    before = Event.objects.values().get(pk=event.pk)

    response = client_for(organiser).post(_url(event), _form(event, **changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Event.objects.values().get(pk=event.pk) == before
    assert not AuditEntry.objects.exists()


def test_dates_that_would_strand_sessions_are_refused_naming_how_many(organiser, event):
    # The event runs 11 and 12 May 2030; a session a day either side is allowed.
    SessionFactory(
        event=event,
        title="Second morning",
        start=datetime(2030, 5, 12, 9, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 10, tzinfo=LONDON),
    )
    SessionFactory(
        event=event,
        title="Second afternoon",
        start=datetime(2030, 5, 12, 14, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 15, tzinfo=LONDON),
    )
    before = Event.objects.values().get(pk=event.pk)

    response = client_for(organiser).post(
        _url(event), _form(event, start_date="2030-06-01", end_date="2030-06-02")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == [
        "2 sessions fall outside these dates (the first: “Second morning”, 12 May 2030 "
        "09:00). Move or delete them first, or choose dates that include them"
    ]
    assert Event.objects.values().get(pk=event.pk) == before
    # The page still shows the event as it is, not as it was typed.
    assert "Organise The Big Conversation" in response.content.decode()


def test_widening_the_dates_keeps_every_session_and_is_saved(organiser, event, session):
    response = client_for(organiser).post(
        _url(event), _form(event, start_date="2030-05-10", end_date="2030-05-13")
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (date(2030, 5, 10), date(2030, 5, 13))
    assert AuditEntry.objects.get().data == {
        "start_date": ["2030-05-11", "2030-05-10"],
        "end_date": ["2030-05-12", "2030-05-13"],
    }


def test_a_time_zone_that_would_strand_sessions_is_refused(organiser, settings):
    settings.SESSION_DATE_SLACK_DAYS = 0
    event = EventFactory(start_date=date(2030, 5, 11), end_date=date(2030, 5, 11))
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    SessionFactory(
        event=event,
        title="Late",
        start=datetime(2030, 5, 11, 23, tzinfo=LONDON),
        end=datetime(2030, 5, 11, 23, 30, tzinfo=LONDON),
    )

    response = client_for(organiser).post(_url(event), _form(event, time_zone="Asia/Tokyo"))

    assert response.status_code == 400
    assert "1 session falls outside these dates" in response.context["form"].errors["time_zone"][0]


def test_the_settings_page_shows_the_chat_retention_with_a_link_to_change_it(organiser, event):
    client = client_for(organiser)
    chat = reverse("live:event_settings", kwargs={"event": event.slug})

    kept = client.get(_url(event)).content.decode()
    live_services.live_settings_update(event=event, read_access="registered", retention_days=30)
    deleted = client.get(_url(event)).content.decode()

    assert "<h2>Data retention of chat messages</h2>" in kept
    assert "Chat messages are kept: no retention period is set" in kept
    assert (
        "Chat messages are deleted 30 days after the event ends: the daily clean-up removes "
        "them from 12 June 2030."
    ) in deleted
    assert f'<a href="{chat}">Change how long chat messages are kept</a>' in deleted


def test_a_section_another_app_registers_appears_on_the_settings_page(organiser, event):
    section = SettingsSection("test", "Awards", lambda request, event: f"<p>{event.slug}</p>")

    with extensions.SETTINGS_SECTIONS.added(section):
        html = client_for(organiser).get(_url(event)).content.decode()

    assert "<h2>Awards</h2>\n    <p>big-conversation</p>" in html


def test_the_settings_page_offers_to_copy_the_event_to_people_who_may(organiser, event):
    copy = reverse("events:event_copy") + f"?from={event.slug}"
    client = client_for(organiser)

    refused = client.get(_url(event)).content.decode()
    organiser.can_create_events = True
    organiser.save()
    allowed = client.get(_url(event)).content.decode()

    assert copy not in refused
    assert f'href="{copy}"' in allowed


# --- The privacy notice and the accessibility statement -------------------------------

STATEMENTS = ["privacy", "accessibility"]


@pytest.mark.parametrize("page", STATEMENTS)
@pytest.mark.parametrize(("persona", "expected"), matrix({}, refused=200))
def test_a_published_events_statements_are_public(as_persona, session, page, persona, expected):
    url = reverse(f"events:{page}", kwargs={"event": session.event.slug})

    assert outcome(as_persona(persona).get(url)) == expected


@pytest.mark.parametrize("page", STATEMENTS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {"organiser": 200, "host": 200, "moderator": 200, "judge": 200, "superuser": 200},
        refused=404,
        personas=DRAFT_PERSONAS,
    ),
)
def test_a_drafts_statements_are_missing_to_people_without_a_role(
    as_persona, session, page, persona, expected
):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)
    url = reverse(f"events:{page}", kwargs={"event": session.event.slug})

    assert outcome(as_persona(persona).get(url)) == expected


def test_empty_statements_show_the_standard_texts_with_the_contact_address(client, event):
    event.contact_email = "team@example.org"
    event.save()

    privacy = client.get(reverse("events:privacy", kwargs={"event": event.slug})).content.decode()
    access = client.get(
        reverse("events:accessibility", kwargs={"event": event.slug})
    ).content.decode()

    assert "<h1>Privacy notice</h1>" in privacy
    assert "The organisers of The Big Conversation are responsible for it." in privacy
    assert "download everything Convene holds about you" in privacy
    assert '<a href="mailto:team@example.org">team@example.org</a>' in privacy
    assert "<h1>Accessibility statement</h1>" in access
    assert "WCAG) 2.2 at level AA" in access
    assert '<a href="mailto:team@example.org">team@example.org</a>' in access


def test_the_organisers_own_statements_replace_the_standard_ones_as_markdown(client, event):
    event.privacy_notice = "We keep **nothing** <script>alert(1)</script>"
    event.accessibility_statement = "Call us on 0100."
    event.save()

    privacy = client.get(reverse("events:privacy", kwargs={"event": event.slug})).content.decode()
    access = client.get(
        reverse("events:accessibility", kwargs={"event": event.slug})
    ).content.decode()

    assert "We keep <strong>nothing</strong>" in privacy
    assert "<script>alert" not in privacy
    assert "download everything" not in privacy
    assert "<p>Call us on 0100.</p>" in access
    assert "WCAG" not in access


@pytest.mark.parametrize(
    "url_name",
    [
        "events:event",
        "events:programme",
        "events:people",
        "events:privacy",
        "attendance:register",
        "contributions:event_board",
    ],
)
def test_every_event_page_links_its_statements_in_the_footer(client, event, url_name):
    html = client.get(reverse(url_name, kwargs={"event": event.slug})).content.decode()

    footer = html.split('<footer class="nhsuk-footer"')[1]
    assert (
        f'href="/events/{event.slug}/privacy/">Privacy notice of The Big Conversation</a>' in footer
    )
    assert (
        f'href="/events/{event.slug}/accessibility/">Accessibility statement of The Big '
        "Conversation</a>"
    ) in footer


def test_session_and_organiser_pages_link_the_statements_too(organiser, session):
    client = client_for(organiser)
    pages = [
        session.get_absolute_url(),
        reverse("events:orga_grid", kwargs={"event": session.event.slug}),
    ]

    for url in pages:
        footer = client.get(url).content.decode().split('<footer class="nhsuk-footer"')[1]
        assert f"/events/{session.event.slug}/privacy/" in footer, url


def test_pages_of_no_event_have_no_event_statements(client, event):
    footer = client.get(reverse("events:home")).content.decode().split("<footer")[1]

    assert "/privacy/" not in footer


def test_the_event_page_shows_the_contact_address(client, event):
    event.contact_email = "team@example.org"
    event.save()

    html = client.get(event.get_absolute_url()).content.decode()

    assert '<a href="mailto:team@example.org">team@example.org</a>' in html
