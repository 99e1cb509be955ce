"""The event dashboard (/orga/<event>/dashboard/): each app's figures with known
data, the chart of registrations and its table, who may open it, and its
query count with 1 and 3 sessions."""

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.attendance import dashboard as attendance_dashboard
from convene.attendance import services as attendance_services
from convene.attendance.models import Booking, Registration
from convene.console import dashboard
from convene.console.extensions import (
    DASHBOARD_COLUMNS,
    DASHBOARD_PANELS,
    DashboardPanel,
    SessionColumn,
)
from convene.contributions import services as contribution_services
from convene.contributions.models import Contribution
from convene.events.models import Event, EventRole, Session
from convene.live import services as live_services
from tests.factories import EventFactory, EventRoleFactory, SessionFactory, UserFactory
from tests.personas import LOGIN, client_for, matrix, outcome

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TIP, IDEA, QUESTION = Contribution.Kind.TIP, Contribution.Kind.IDEA, Contribution.Kind.QUESTION


def _url(event: Event) -> str:
    return reverse("console:dashboard", kwargs={"event": event.slug})


class _Tables(HTMLParser):
    """The text of every cell of every table with an id: {id: [[cell, ...], ...]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id"):
            self._table = dict(attrs)["id"]
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_caption:
            self._cell.append(data)


def _tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def _person(event: Event, n: int) -> tuple:
    user = UserFactory(email=f"person-{event.slug}-{n}@example.org", name=f"Person {n}")
    return user, attendance_services.registration_create(event=event, user=user)


def _contribution(event, session, kind, text, *, votes=(), at=None):
    item = contribution_services.contribution_create(
        author=None, event=event, session=session, kind=kind, text=text, rate_limited=False
    )
    for voter in votes:
        contribution_services.contribution_vote_toggle(contribution=item, user=voter, on=True)
    if at is not None:
        Contribution.objects.filter(pk=item.pk).update(created_at=at)
    return item


@pytest.fixture
def busy(event, organiser):
    """An upcoming event with known figures (see each test).

    - "Workshop" (2 places): persons 1 and 2 booked, 3 and 4 waiting; person 1
      joined; chat: 2 messages by person 1, 1 by person 2, 2 imported from
      "Guest (example)", a prompt by the organiser (not counted); tips A (3 votes)
      and B (1 vote), an idea, an unanswered question (the oldest).
    - "Panel" (5 places): person 1 booked, person 2 booked then cancelled;
      one message by person 3, hidden; tip C (2 votes), tip E hidden (4 votes
      before), a question answered.
    - "Drop-in" (no limit): persons 1, 2 and 3 joined; nothing else.
    - a break, left out; person 5 registered then cancelled, person 6 never confirmed.
    - the event's own board: tip D (no votes) and a question waiting (newer).
    """
    start = datetime(2030, 5, 11, 9, 0, tzinfo=LONDON)
    workshop = SessionFactory(event=event, title="Workshop", capacity=2, start=start)
    panel = SessionFactory(event=event, title="Panel", capacity=5, start=start + timedelta(hours=2))
    drop_in = SessionFactory(event=event, title="Drop-in", start=start + timedelta(hours=4))
    SessionFactory(
        event=event, title="Lunch", kind=Session.Kind.BREAK, start=start + timedelta(hours=3)
    )
    people = [_person(event, n) for n in range(1, 6)]
    (u1, r1), (u2, r2), (u3, r3), (u4, r4), (_, r5) = people
    Registration.objects.create(event=event, email="unconfirmed@example.org", name="Not yet")
    for registration in (r1, r2, r3, r4):
        attendance_services.booking_create(registration=registration, session=workshop)
    attendance_services.booking_create(registration=r1, session=panel)
    attendance_services.booking_cancel(
        booking=attendance_services.booking_create(registration=r2, session=panel)
    )
    attendance_services.registration_cancel(registration=r5)
    attendance_services.attendance_record_join(session=workshop, user=u1)
    for user in (u1, u2, u3):
        attendance_services.attendance_record_join(session=drop_in, user=user)

    room = live_services.room_ensure(session=workshop)
    for i, (user, text) in enumerate([(u1, "Hello"), (u1, "Again"), (u2, "Hi")]):
        live_services.message_post(room=room, author=user, text=text, client_id=f"m{i}")
    for i in range(2):
        live_services.message_import(
            room=room, author_name="Guest (example)", badge="", text="Imported", client_id=f"i{i}"
        )
    live_services.prompt_post(room=room, author=organiser, text="Your top tip?", client_id="p")
    panel_room = live_services.room_ensure(session=panel)
    hidden, _ = live_services.message_post(
        room=panel_room, author=u3, text="Off topic", client_id="h"
    )
    live_services.message_hide(message=hidden, by=organiser)

    _contribution(event, workshop, TIP, "Tip A", votes=[u1, u2, u3])
    _contribution(event, workshop, TIP, "Tip B", votes=[u4])
    _contribution(event, workshop, IDEA, "An idea")
    _contribution(
        event, workshop, QUESTION, "Who goes first?", at=datetime(2030, 5, 11, 9, 30, tzinfo=UTC)
    )
    _contribution(event, panel, TIP, "Tip C", votes=[u1, u2])
    hidden_tip = _contribution(event, panel, TIP, "Tip E", votes=[u1, u2, u3, u4])
    contribution_services.contribution_hide(contribution=hidden_tip, by=organiser)
    answered = _contribution(event, panel, QUESTION, "Answered one?")
    contribution_services.question_answer_publish(question=answered, by=organiser, answer="Yes.")
    _contribution(event, None, TIP, "Tip D")
    _contribution(
        event, None, QUESTION, "Event-wide question?", at=datetime(2030, 5, 11, 10, 0, tzinfo=UTC)
    )
    return {"workshop": workshop, "panel": panel, "drop_in": drop_in}


def test_each_session_has_its_figures_from_the_app_that_owns_them(busy, event):
    table = dashboard.session_table(event=event)

    assert [column.header for column in table.columns] == [
        "Places left", "Waiting list", "Joined of registered", "Chat messages",
        "Active chatters", "Top tips", "Ideas", "Questions",
    ]  # fmt: skip
    assert [(row.session.title, list(row.values.values())) for row in table.rows] == [
        ("Workshop", [0, 2, "1 of 2", 5, 3, 2, 1, 1]),
        ("Panel", [4, 0, "0 of 1", 1, 1, 1, 0, 1]),
        ("Drop-in", ["No limit", 0, "3 of 4", 0, 0, 0, 0, 0]),
    ]


def test_the_page_shows_the_table_the_top_tips_and_the_unanswered_questions(busy, event, organiser):
    response = client_for(organiser).get(_url(event))
    tables = _tables(response)
    html = response.content.decode()

    assert response.status_code == 200
    assert tables["dashboard-sessions-table"] == [
        ["Session", "Places left", "Waiting list", "Joined of registered", "Chat messages",
         "Active chatters", "Top tips", "Ideas", "Questions"],
        ["Workshop Sat 11 May 09:00", "0", "2", "1 of 2", "5", "3", "2", "1", "1"],
        ["Panel Sat 11 May 11:00", "4", "0", "0 of 1", "1", "1", "1", "0", "1"],
        ["Drop-in Sat 11 May 13:00", "No limit", "0", "3 of 4", "0", "0", "0", "0", "0"],
    ]  # fmt: skip
    assert tables["dashboard-top-tips-table"] == [
        ["Top tip", "Board", "Votes"],
        ["Tip A", "Workshop", "3"],
        ["Tip C", "Panel", "2"],
        ["Tip B", "Workshop", "1"],
        ["Tip D", "The event's board", "0"],
    ]
    assert tables["dashboard-questions-table"] == [
        ["Board", "Waiting"],
        ["The event's board: questions for the hosts", "1"],
        ["Workshop: questions for the hosts", "1"],
    ]
    workshop_queue = reverse(
        "contributions:session_questions",
        kwargs={"event": event.slug, "session": busy["workshop"].slug},
    )
    event_queue = reverse("contributions:event_questions", kwargs={"event": event.slug})
    oldest = html.split('id="dashboard-oldest-questions"')[1].split("</ol>")[0]
    assert oldest.index("Who goes first?") < oldest.index("Event-wide question?")
    assert f'<a href="{workshop_queue}">“Who goes first?”</a>' in oldest
    assert f'<a href="{event_queue}">“Event-wide question?”</a>' in oldest
    assert "Answered one?" not in oldest


def test_top_tips_are_the_five_with_most_votes(event, organiser):
    voters = [UserFactory() for _ in range(7)]
    for n in range(7):
        _contribution(event, None, Contribution.Kind.TIP, f"Tip with {n}", votes=voters[:n])

    tables = _tables(client_for(organiser).get(_url(event)))

    assert [row[0] for row in tables["dashboard-top-tips-table"][1:]] == [
        f"Tip with {n}" for n in (6, 5, 4, 3, 2)
    ]


def _registered_on(event: Event, moments: list[datetime]) -> None:
    for moment in moments:
        user = UserFactory()
        Registration.objects.create(
            event=event,
            user=user,
            email=user.email,
            name=user.name,
            state=Registration.State.CONFIRMED,
            confirmed_at=moment,
        )
    # Counted only while confirmed.
    Registration.objects.create(
        event=event,
        email="gone@example.org",
        name="Gone",
        state=Registration.State.CANCELLED,
        confirmed_at=moments[0],
    )


def test_registrations_are_counted_per_day_in_the_events_time_zone(organiser):
    # Auckland is 13 hours ahead of UTC in March (daylight saving time).
    event = EventFactory(
        time_zone="Pacific/Auckland", start_date=date(2024, 3, 8), end_date=date(2024, 3, 9)
    )
    EventRoleFactory(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    _registered_on(
        event,
        [
            datetime(2024, 3, 1, 10, 30, tzinfo=UTC),  # 1 March, 23:30 in Auckland
            datetime(2024, 3, 1, 11, 30, tzinfo=UTC),  # 2 March, 00:30
            datetime(2024, 3, 1, 12, 0, tzinfo=UTC),  # 2 March
            datetime(2024, 3, 4, 2, 0, tzinfo=UTC),  # 4 March
        ],
    )

    response = client_for(organiser).get(_url(event))
    html = response.content.decode()

    # From the first registration to the event's last day (it is over).
    assert _tables(response)["registrations-chart-table"] == [
        ["Day", "New registrations", "Registrations so far"],
        ["Fri 1 Mar 2024", "1", "1"],
        ["Sat 2 Mar 2024", "2", "3"],
        ["Sun 3 Mar 2024", "0", "3"],
        ["Mon 4 Mar 2024", "1", "4"],
        ["Tue 5 Mar 2024", "0", "4"],
        ["Wed 6 Mar 2024", "0", "4"],
        ["Thu 7 Mar 2024", "0", "4"],
        ["Fri 8 Mar 2024", "0", "4"],
        ["Sat 9 Mar 2024", "0", "4"],
    ]
    assert "(days in Pacific/Auckland)" in html
    assert "4 people are registered for the event." in html


def test_the_chart_is_an_svg_image_with_its_text_alternative(organiser):
    event = EventFactory(start_date=date(2024, 3, 8), end_date=date(2024, 3, 9))
    EventRoleFactory(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    _registered_on(
        event,
        [datetime(2024, 3, 5, 12, tzinfo=UTC)] * 2 + [datetime(2024, 3, 7, 12, tzinfo=UTC)],
    )

    html = client_for(organiser).get(_url(event)).content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]

    assert 'role="img" aria-labelledby="registrations-chart-title registrations-chart-desc"' in svg
    assert '<title id="registrations-chart-title">Registrations over time</title>' in svg
    assert (
        '<desc id="registrations-chart-desc">Registrations over time, 5 March 2024 to '
        "9 March 2024: 3 registrations in all, 2 by the end of the first day; the most in "
        "one day was 2, on 5 March 2024.</desc>"
    ) in svg
    # A marker on each of the two days people registered; the axis says 0 to 3.
    assert svg.count("<circle") == 2
    assert ">0</text>" in svg
    assert ">3</text>" in svg
    assert "<summary" in html.split("</svg>", 1)[1].split("registrations-chart-table")[0]


def test_an_upcoming_event_is_charted_up_to_today():
    event = EventFactory(start_date=date(2030, 5, 11), end_date=date(2030, 5, 12))
    _registered_on(event, [datetime(2030, 5, 1, 12, tzinfo=UTC)])

    chart = attendance_dashboard.registrations_chart(event=event, today=date(2030, 5, 3))

    assert chart is not None
    assert [(d.day.day, d.count, d.total) for d in chart.days] == [(1, 1, 1), (2, 0, 1), (3, 0, 1)]


def test_with_nobody_registered_the_page_says_so_and_draws_nothing(event, session, organiser):
    html = client_for(organiser).get(_url(event)).content.decode()

    assert "No one has registered yet." in html
    assert "<svg" not in html
    assert "registrations-chart-table" not in html
    assert "No top tips have been shared yet." in html
    assert "No questions are waiting for an answer." in html


def test_an_event_without_sessions_says_how_to_add_one(event, organiser):
    html = client_for(organiser).get(_url(event)).content.decode()

    assert "No sessions yet." in html
    assert reverse("events:orga_session_create", kwargs={"event": event.slug}) in html


def test_a_column_or_panel_another_app_registers_is_shown(event, session, organiser):
    column = SessionColumn("test.column", "Test column", lambda e: {session.pk: "yes"}, order=45)
    panel = DashboardPanel("test.panel", order=25, render=lambda r, e: "<p>Panel!</p>")

    with DASHBOARD_COLUMNS.added(column), DASHBOARD_PANELS.added(panel):
        response = client_for(organiser).get(_url(event))
    html = response.content.decode()

    header = _tables(response)["dashboard-sessions-table"][0]
    assert header.index("Test column") == header.index("Chat messages") + 1
    assert _tables(response)["dashboard-sessions-table"][1][header.index("Test column")] == "yes"
    assert html.index('id="dashboard-sessions"') < html.index("<p>Panel!</p>")
    assert html.index("<p>Panel!</p>") < html.index('id="dashboard-top-tips"')


# --- Who may open it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"), matrix({"organiser": 200, "superuser": 200, "anonymous": LOGIN})
)
def test_only_the_events_organisers_and_superusers_open_the_dashboard(
    as_persona, event, session, persona, expected
):
    assert outcome(as_persona(persona).get(_url(event))) == expected


def test_an_organiser_of_another_event_cannot_see_this_one(event, session, outsider):
    other = EventFactory()
    EventRoleFactory(event=other, user=outsider, role=EventRole.Role.ORGANISER)
    client = client_for(outsider)

    assert client.get(_url(other)).status_code == 200
    assert client.get(_url(event)).status_code == 403


def test_the_dashboard_only_answers_reads(event, organiser):
    assert client_for(organiser).post(_url(event)).status_code == 405


def test_it_is_the_first_page_of_the_organiser_area(event, session, organiser):
    client = client_for(organiser)
    event_page = client.get(event.get_absolute_url()).content.decode()
    dashboard_page = client.get(_url(event)).content.decode()

    assert f'<a href="{_url(event)}">Organise this event</a>' in event_page
    nav = dashboard_page.split('aria-label="Organiser area"')[1].split("</nav>")[0]
    assert nav.index(f'<a href="{_url(event)}" aria-current="page">Dashboard</a>') < nav.index(
        "Programme grid"
    )


# --- A fixed number of queries --------------------------------------------------------


def _event_with(sessions: int, organiser) -> Event:
    """An event with `sessions` sessions, each with bookings, a waiting list,
    attendance, chat messages, votes and questions."""
    event = EventFactory()
    EventRoleFactory(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    people = [_person(event, n) for n in range(3)]
    start = datetime(2030, 5, 11, 9, 0, tzinfo=LONDON)
    for i in range(sessions):
        session = SessionFactory(
            event=event, capacity=1 if i % 2 == 0 else None, start=start + timedelta(hours=i)
        )
        if session.capacity:
            for _, registration in people[:2]:
                attendance_services.booking_create(registration=registration, session=session)
        attendance_services.attendance_record_join(session=session, user=people[0][0])
        room = live_services.room_ensure(session=session)
        for n, (user, _) in enumerate(people):
            live_services.message_post(room=room, author=user, text="Hi", client_id=f"{i}-{n}")
        voters = [user for user, _ in people]
        _contribution(event, session, Contribution.Kind.TIP, f"Tip {i}", votes=voters)
        _contribution(event, session, Contribution.Kind.QUESTION, f"Question {i}", votes=voters)
    return event


def test_the_dashboard_runs_the_same_number_of_queries_with_1_and_3_sessions(organiser):
    small, large = _event_with(1, organiser), _event_with(3, organiser)
    client = client_for(organiser)
    client.get(_url(small))  # the session and the person, once

    counts = []
    for event in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(event))
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))

    rows = _tables(response)["dashboard-sessions-table"]
    assert len(rows) == 4
    assert rows[1][1:] == ["0", "1", "1 of 1", "3", "3", "1", "0", "1"]
    # The event, the person's session, user and roles; registrations per day;
    # the sessions; one per column (3 attendance, 2 live, 3 contributions); top
    # tips; unanswered questions per board and the oldest.
    assert counts == [17, 17]
    assert Booking.objects.filter(state=Booking.State.WAITING).count() == 3
