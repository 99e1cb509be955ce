"""The emails of a message to a group, through the real SMTP server (tests/smtp.py): each
person's placeholders, optional messages without the people who turned them off and with
List-Unsubscribe (RFC 8058), essential ones to everyone, one email a person, and the text
built when it is sent, from what is true then (decision 0027)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convene.attendance import services as attendance_services
from convene.attendance.models import Registration
from convene.core import outbox
from convene.core.models import AuditEntry, OutgoingEmail
from convene.events.models import EventRole, Host
from tests.attendance.conftest import session_at
from tests.console.conftest import book, register, send
from tests.factories import EventFactory, EventRoleFactory, HostFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def soon(db):
    today = timezone.localdate()
    return EventFactory(
        slug="soon", title="Spread Conversation", start_date=today, end_date=today + timedelta(1)
    )


@pytest.fixture
def three(soon, mail):
    """Ann and Cy agreed to optional emails, Bo did not; confirmations already sent."""
    people = {
        key: register(UserFactory(email=f"{key}@example.org", name=name), soon, email_consent=ok)
        for key, name, ok in [
            ("ann", "Ann Ahmed", True),
            ("bo", "Bo Brown", False),
            ("cy", "Cy", True),
        ]
    }
    mail.messages.clear()
    return people


def _received(mail) -> dict[str, object]:
    return {m.to[0]: m for m in mail.messages}


def test_each_person_gets_their_own_placeholders(soon, three, organiser, mail, settings):
    settings.JOIN_WINDOW_MINUTES = 15
    starting = session_at(soon, minutes_from_now=5, capacity=1, title="Starting soon")
    book(three["ann"], starting)
    book(three["bo"], starting)  # full: waiting
    mail.messages.clear()

    send(
        soon,
        "session_registrants",
        sessions=[starting],
        by=organiser,
        subject="{session} starts in 5 minutes",
        body="Hello {name},\n\n{join_link}\n\nThe programme: {event_link}",
    )

    got = _received(mail)
    assert sorted(got) == ["ann@example.org", "bo@example.org"]
    ann, bo = got["ann@example.org"], got["bo@example.org"]
    assert ann.subject == bo.subject == "Starting soon starts in 5 minutes"
    assert ann.body.startswith(
        f"Hello Ann Ahmed,\n\n{SITE}/sessions/{starting.pk}/join/\n\n"
        f"The programme: {SITE}/events/soon/\n"
    )
    assert bo.body.startswith(
        "Hello Bo Brown,\n\nYou are on the waiting list for Starting soon: "
        "if a place comes free, we will email you."
    )
    assert "teams.example.org" not in ann.body + bo.body  # Convene's join address only
    assert ann.message["Message-ID"] != bo.message["Message-ID"]
    assert "because you are registered for Spread Conversation" in ann.body


def test_an_optional_message_leaves_out_who_turned_them_off_and_can_be_stopped_in_one_click(
    soon, three, organiser, mail
):
    message = send(soon, "registrants", by=organiser, optional=True, subject="Slides are up")

    got = _received(mail)
    assert sorted(got) == ["ann@example.org", "cy@example.org"]
    assert (message.recipient_count, message.left_out_count) == (2, 1)
    headers = got["ann@example.org"].message
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{SITE}/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop optional emails about Spread Conversation: {link}" in got["ann@example.org"].body
    entry = AuditEntry.objects.get(action="console.message_sent")
    assert (entry.data["recipients"], entry.data["left_out"]) == (2, 1)

    # The mail program's one-click POST turns them off: the next optional message skips Ann.
    assert (
        Client().post(link.removeprefix(SITE), {"List-Unsubscribe": "One-Click"}).status_code == 200
    )
    mail.messages.clear()
    send(soon, "registrants", by=organiser, optional=True, subject="More news")
    assert sorted(_received(mail)) == ["cy@example.org"]


def test_an_essential_message_reaches_everyone_without_an_unsubscribe_link(
    soon, three, organiser, mail
):
    send(soon, "registrants", by=organiser, optional=False, subject="Room change")

    got = _received(mail)
    assert sorted(got) == ["ann@example.org", "bo@example.org", "cy@example.org"]
    assert all("List-Unsubscribe" not in m.message for m in got.values())
    assert all("unsubscribe" not in m.body for m in got.values())


def test_people_with_a_role_cannot_opt_out_so_even_optional_messages_reach_them(
    soon, organiser, mail
):
    EventRoleFactory(event=soon, user=organiser, role=EventRole.Role.ORGANISER)
    host = UserFactory(email="hana@example.org", name="Hana")
    HostFactory(session=session_at(soon, minutes_from_now=60), user=host, guest_name="")
    mail.messages.clear()

    send(soon, "hosts", by=organiser, optional=True, subject="Thank you", body="{session}")

    [email] = mail.messages
    assert email.to == ["hana@example.org"]
    assert "List-Unsubscribe" not in email.message
    assert "because you host at Spread Conversation" in email.body


def test_a_person_in_a_group_twice_gets_one_email(soon, organiser, mail):
    both = UserFactory(email="both@example.org", name="Both")
    for role in (EventRole.Role.REVIEWER, EventRole.Role.JUDGE, EventRole.Role.HOST):
        EventRoleFactory(event=soon, user=both, role=role)
    first = session_at(soon, minutes_from_now=60, capacity=9, title="First")
    second = session_at(soon, minutes_from_now=120, capacity=9, title="Second")
    registration = register(both, soon)
    book(registration, first)
    book(registration, second)
    HostFactory(session=first, user=both, guest_name="", role=Host.Role.HOST)
    HostFactory(session=first, user=both, guest_name="", role=Host.Role.MODERATOR)
    mail.messages.clear()

    team = send(soon, "team", by=organiser)
    sessions = send(soon, "session_registrants", sessions=[first, second], by=organiser)
    hosts = send(soon, "hosts", by=organiser)

    assert [m.to for m in mail.messages] == [["both@example.org"]] * 3
    assert (team.recipient_count, sessions.recipient_count, hosts.recipient_count) == (1, 1, 1)
    recorded = OutgoingEmail.objects.filter(kind="group_message", recipient="both@example.org")
    assert recorded.count() == 3


@pytest.fixture
def queued(settings, mail, three, soon, organiser):
    """Two messages recorded (essential and optional) but not sent yet: tasks wait in the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    essential = send(soon, "registrants", by=organiser, subject="Hi {name}", body="Dear {name}")
    optional = send(soon, "registrants", by=organiser, optional=True, subject="News")
    assert mail.messages == []
    return essential, optional


def _send_all() -> dict[tuple[str, str], str]:
    rows = OutgoingEmail.objects.filter(kind="group_message", state="pending")
    return {
        (row.recipient, row.purpose): outbox.email_send(email_id=row.pk)
        for row in rows.order_by("pk")
    }


def test_the_email_is_built_when_it_is_sent_from_what_is_true_then(queued, three, mail):
    essential, optional = queued
    user = three["ann"].user
    user.name = "Ann Renamed"
    user.save()
    attendance_services.registration_cancel(registration=three["cy"])  # left the group
    Registration.objects.filter(pk=three["bo"].pk).update(email_consent=True)  # agreed since
    attendance_services.registration_unsubscribe(registration=three["ann"])  # turned them off

    states = _send_all()

    assert states == {
        ("ann@example.org", essential.purpose): "sent",
        ("cy@example.org", essential.purpose): "failed",
        ("bo@example.org", essential.purpose): "sent",
        ("ann@example.org", optional.purpose): "failed",
        ("cy@example.org", optional.purpose): "failed",
    }
    got = {(m.to[0], m.subject) for m in mail.messages}
    assert got == {("ann@example.org", "Hi Ann Renamed"), ("bo@example.org", "Hi Bo Brown")}
    assert set(
        OutgoingEmail.objects.filter(state="failed").values_list("last_error", flat=True)
    ) == {outbox.NOT_NEEDED}
    # Bo was not in the optional message when it was sent: agreeing later adds nobody.
    assert not OutgoingEmail.objects.filter(recipient="bo@example.org", purpose=optional.purpose)


def test_a_deleted_message_or_session_sends_nothing(queued, soon, organiser, mail):
    essential, optional = queued
    deleted = essential.purpose
    essential.delete()
    session = session_at(soon, minutes_from_now=60)  # a drop-in: all three are in it
    about = send(soon, "session_registrants", sessions=[session], by=organiser)
    session.delete()

    states = Counter((purpose, state) for (_, purpose), state in _send_all().items())

    assert states == {
        (deleted, "failed"): 3,
        (optional.purpose, "sent"): 2,
        (about.purpose, "failed"): 3,
    }
    assert [m.subject for m in mail.messages] == ["News", "News"]


def test_the_html_part_escapes_the_text_and_links_its_addresses(soon, three, organiser, mail):
    send(soon, "registrants", by=organiser, body="<b>Bold?</b> See {event_link}")

    email = _received(mail)["ann@example.org"].message
    html = email.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;Bold?&lt;/b&gt;" in html
    assert f'<a href="{SITE}/events/soon/"' in html
