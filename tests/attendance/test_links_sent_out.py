"""Every link Convene sends out: on SITE_URL, and never the raw join link early.

One programme, with everything that leaves the site built from it: each kind
of email (text, HTML, headers, .ics attachments), allauth's emails, the
calendars, the schedule exports, the API, the organisers' CSVs and the pages
around a session (decision 0014).

- Every http(s) address of the site starts with SITE_URL, whatever address
  the request came in on (`make run PORT=8811` used to mix two).
- A session three weeks ahead with a raw join link SECRET123: the link is in
  none of them; calendars and emails carry Convene's join address instead,
  which sends a registrant on to the link inside the window.
"""

import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from convene.attendance import reminders, services
from convene.attendance.links import join_address
from convene.console import services as console_services
from convene.contributions import services as contribution_services
from convene.contributions.models import Contribution
from convene.events import services as event_services
from convene.events.models import EventRole, Host
from convene.live import services as live_services
from tests.accounts.conftest import verify_email
from tests.attendance.conftest import register, session_at
from tests.conftest import client_for
from tests.factories import EventFactory, EventRoleFactory, HostFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://convene.example.test:8811"
SECRET = "https://teams.example.test/meet/SECRET123"
# Addresses of other sites that outputs rightly carry.
EXTERNAL = {"https://c3voc.de/schedule/schema.json"}
URL = re.compile(r"https?://[^\s\"'<>\\]+")

EMAILS = [
    "verify",
    "confirmation",
    "promotion",
    "reminder",
    "recording",
    "group_message",
    "answer",
    "host_invitation",
    "team_invitation",
    "allauth_verification",
    "allauth_password_reset",
    "allauth_account_exists",
    "allauth_unknown_account",
]
FILES = [
    "personal_feed",
    "event_ics",
    "session_ics",
    "schedule_json",
    "schedule_xml",
    "api_event_board",
    "api_session_board",
]
# The organisers' and people's pages around the session: they link relatively,
# so only the join link is checked there.
PAGES = [
    "orga_schedule_csv",
    "orga_registrations_csv",
    "session_page",
    "join_page",
    "agenda",
    "live_room",
    "live_history",
    "live_events",
]


def _unfold(text: str) -> str:
    """iCalendar folds lines at 75 octets, cutting addresses in two."""
    return text.replace("\r\n ", "").replace("\n ", "")


def _email_text(message: EmailMessage) -> str:
    """Headers, then every part decoded: what the person's mail program shows."""
    pieces = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        if isinstance(content, bytes):
            content = content.decode()
        pieces.append(_unfold(content) if part.get_content_type() == "text/calendar" else content)
    return "\n".join(pieces)


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    assert response.status_code == 200, response
    return _unfold(response.content.decode("utf-8-sig"))


@pytest.fixture
def programme(settings, mail):
    """An event with a drop-in session three weeks ahead (raw link SECRET), a
    workshop of one place, an organiser, a registrant (Ade) who agreed to
    reminders, and every email already sent (in `mail.messages`, by kind)."""
    settings.SITE_URL = SITE
    today = timezone.localdate()
    event = EventFactory(
        slug="spread-conversation",
        title="Spread Conversation",
        start_date=today,
        end_date=today + timedelta(days=30),
    )
    three_weeks = 21 * 24 * 60
    drop_in = session_at(
        event, minutes_from_now=three_weeks, slug="drop-in", title="Drop-in", join_url=SECRET
    )
    workshop = session_at(
        event,
        minutes_from_now=three_weeks + 120,
        slug="workshop",
        title="Workshop",
        capacity=1,
        join_url=SECRET,
    )
    HostFactory(session=drop_in, guest_name="Diane Ketley", role=Host.Role.HOST)
    organiser = UserFactory(email="organiser@example.org", name="Olu Organiser")
    EventRoleFactory(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    ade = UserFactory(email="attendee@example.org", name="Ade Attendee")
    bea = UserFactory(email="bea@example.org", name="Bea")
    verify_email(ade)
    sent: dict[str, EmailMessage] = {}

    def collect(kind: str, to: str) -> None:
        [received] = [m for m in mail.messages if m.to == [to]]
        sent[kind] = received.message
        mail.messages.clear()

    mail.messages.clear()
    services.registration_request(event=event, email="new@example.org", name="Nia")
    collect("verify", "new@example.org")
    ade_registration = register(ade, event, email_consent=True)
    collect("confirmation", "attendee@example.org")
    bea_booking = services.booking_create(registration=register(bea, event), session=workshop)
    services.booking_create(registration=ade_registration, session=workshop)  # waiting
    mail.messages.clear()
    services.booking_cancel(booking=bea_booking)
    collect("promotion", "attendee@example.org")
    services.star_add(user=ade, session=drop_in)
    reminders.reminders_schedule(now=drop_in.start - timedelta(hours=23))
    collect("reminder", "attendee@example.org")
    services.recording_available_notify(session=drop_in)
    collect("recording", "attendee@example.org")
    console_services.group_message_send(
        event=event,
        group_key="session_registrants",
        sessions=[drop_in],
        subject="Slides for {session}",
        body="Hello {name}. Join: {join_link}\nSession: {session_link}\nEvent: {event_link}",
        optional=True,
        by=organiser,
    )
    sent["group_message"] = next(
        m.message for m in mail.messages if m.to == ["attendee@example.org"]
    )
    mail.messages.clear()
    question = contribution_services.contribution_create(
        author=ade, event=event, session=drop_in, kind=Contribution.Kind.QUESTION, text="How?"
    )
    contribution_services.question_answer_publish(question=question, by=organiser, answer="So.")
    collect("answer", "attendee@example.org")
    event_services.host_invite(
        session=drop_in, email="guest@example.org", role=Host.Role.HOST, invited_by=organiser
    )
    collect("host_invitation", "guest@example.org")
    event_services.team_invite(event=event, email="judge@example.org", role="judge", by=organiser)
    collect("team_invitation", "judge@example.org")
    # allauth, reached on another address than SITE_URL (the request's host).
    visitor = Client(HTTP_HOST="localhost:8000")
    password = "a long enough passphrase"
    signup = {"email": "newcomer@example.org", "password1": password, "password2": password}
    visitor.post(reverse("account_signup"), signup)
    collect("allauth_verification", "newcomer@example.org")
    visitor.post(reverse("account_reset_password"), {"email": "attendee@example.org"})
    collect("allauth_password_reset", "attendee@example.org")
    visitor.post(reverse("account_signup"), {**signup, "email": "attendee@example.org"})
    collect("allauth_account_exists", "attendee@example.org")
    visitor.post(reverse("account_reset_password"), {"email": "stranger@example.org"})
    collect("allauth_unknown_account", "stranger@example.org")
    return {
        "event": event,
        "drop_in": drop_in,
        "workshop": workshop,
        "ade": ade,
        "organiser": organiser,
        "sent": sent,
    }


def _output(programme, name: str) -> str:
    """The output `name` as its reader gets it, fetched on another host than SITE_URL."""
    if name in EMAILS:
        return _email_text(programme["sent"][name])
    event, session, ade = programme["event"], programme["drop_in"], programme["ade"]
    as_ade = client_for(ade)
    as_ade.defaults["HTTP_HOST"] = "localhost:8000"
    as_organiser = client_for(programme["organiser"])
    slugs = {"event": event.slug}
    room = {"event": event.slug, "session": session.slug}
    if name == "personal_feed":
        token = services.calendar_link_get_or_create(user=ade).token
        return _text(as_ade.get(reverse("attendance:feed", kwargs={"token": token})))
    if name == "agenda":
        services.calendar_link_get_or_create(user=ade)
        return _text(as_ade.get(reverse("attendance:agenda")))
    if name == "join_page":
        join = reverse("attendance:join", kwargs={"session": session.pk})
        return _text(as_ade.get(join, follow=True))
    if name in {"live_room", "live_history", "live_events"}:
        live_room = live_services.room_ensure(session=session)
        live_services.message_post(room=live_room, author=ade, text="Hello", client_id="c1")
        if name == "live_events":
            url = reverse("live:events", kwargs={"room": live_room.pk})
            return _text(as_ade.get(url, HTTP_LAST_EVENT_ID="0"))
        return _text(as_ade.get(reverse(f"live:{name.removeprefix('live_')}", kwargs=room)))
    urls = {
        "event_ics": (reverse("events:event_calendar", kwargs=slugs), as_ade),
        "session_ics": (reverse("events:session_calendar", kwargs=room), as_ade),
        "schedule_json": (reverse("events:schedule_json", kwargs=slugs), as_ade),
        "schedule_xml": (reverse("events:schedule_xml", kwargs=slugs), as_ade),
        "api_event_board": (f"/api/events/{event.slug}/contributions", as_ade),
        "api_session_board": (
            f"/api/events/{event.slug}/sessions/{session.slug}/contributions",
            as_ade,
        ),
        "orga_schedule_csv": (reverse("events:orga_schedule_csv", kwargs=slugs), as_organiser),
        "orga_registrations_csv": (
            reverse("attendance:orga_registrations_csv", kwargs=slugs),
            as_organiser,
        ),
        "session_page": (session.get_absolute_url(), as_ade),
    }
    url, client = urls[name]
    return _text(client.get(url))


# --- One address for the site ------------------------------------------------------


@pytest.mark.parametrize("name", EMAILS + FILES)
def test_every_absolute_link_sent_out_is_on_site_url(programme, name):
    text = _output(programme, name)

    links = [url.rstrip(".,;)") for url in URL.findall(text)]
    ours = [url for url in links if url not in EXTERNAL and url != SECRET]
    assert ours, f"{name} has no link of the site"
    assert [url for url in ours if not (url == SITE or url.startswith(f"{SITE}/"))] == []


def test_the_agenda_gives_the_personal_calendar_link_on_site_url(programme):
    token = services.calendar_link_get_or_create(user=programme["ade"]).token

    html = _output(programme, "agenda")

    assert f"{SITE}/my/calendar/{token}.ics" in html
    assert "localhost:8000" not in html


# --- The join link stays in its window ---------------------------------------------


@pytest.mark.parametrize("name", EMAILS + FILES + PAGES)
def test_the_raw_join_link_is_in_nothing_three_weeks_ahead(programme, name):
    text = _output(programme, name)

    assert "SECRET123" not in text


@pytest.mark.parametrize(
    "name", ["confirmation", "promotion", "reminder", "personal_feed", "orga_schedule_csv"]
)
def test_calendars_and_emails_carry_convenes_join_address(programme, name):
    session = programme["workshop" if name == "promotion" else "drop_in"]

    text = _output(programme, name)

    assert f"{SITE}/sessions/{session.pk}/join/" in text


def test_inside_the_window_the_join_address_sends_a_registrant_to_the_link(
    settings, attendee, soon_event
):
    settings.SITE_URL = SITE
    session = session_at(soon_event, minutes_from_now=10, join_url=SECRET)
    register(attendee, soon_event)
    services.star_add(user=attendee, session=session)  # in the feed
    token = services.calendar_link_get_or_create(user=attendee).token
    feed = _text(Client().get(reverse("attendance:feed", kwargs={"token": token})))
    client = client_for(attendee)

    [address] = {url for url in URL.findall(feed) if url.endswith("/join/")}
    page = client.get(address.removeprefix(SITE))
    joined = client.post(address.removeprefix(SITE))

    assert address == join_address(session)
    assert "SECRET123" not in feed
    assert page.status_code == 200
    assert "SECRET123" not in page.content.decode()
    assert (joined.status_code, joined["Location"]) == (302, SECRET)
