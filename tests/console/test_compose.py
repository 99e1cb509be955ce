"""Writing a message: the compose page, the preview filled in for one real person of the
group, and sending; bad input re-renders with field errors naming the problem and stores
nothing."""

import re

import pytest

from convene.console.models import GroupMessage
from convene.core.models import AuditEntry, OutgoingEmail
from convene.events.models import EventRole
from tests.console.conftest import book, compose_data, compose_url, register, send
from tests.factories import EventFactory, SessionFactory, UserFactory
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(event):
    """Three people registered for the event: Cy and Ann agreed to optional emails."""
    return [
        register(UserFactory(email=email, name=name), event, email_consent=consent)
        for email, name, consent in [
            ("cy@example.org", "Cy Clark", True),
            ("ann@example.org", "Ann Ahmed", True),
            ("bo@example.org", "Bo Brown", False),
        ]
    ]


def _stored() -> tuple[int, int]:
    return GroupMessage.objects.count(), OutgoingEmail.objects.filter(kind="group_message").count()


def test_the_compose_page_lists_every_group_and_placeholder(organiser, event):
    html = client_for(organiser).get(compose_url(event)).content.decode()

    for label in [
        "Everyone registered for the event",
        "People registered for chosen sessions (with a place or waiting)",
        "Waiting lists of chosen sessions",
        "Hosts of every session",
        "Hosts of chosen sessions",
        "Reviewers",
        "Judges",
        "The whole team (everyone with a role in the event)",
    ]:
        assert label in html
    for placeholder in ["name", "event", "event_link", "session", "session_link", "join_link"]:
        assert f"<code>{{{placeholder}}}</code>" in html
    assert 'aria-current="page"' in html.split(">Messages<")[0][-200:]


def test_the_compose_page_comes_with_the_group_and_sessions_other_pages_chose(
    organiser, event, session
):
    url = f"{compose_url(event)}?group=session_registrants&sessions={session.pk}&sessions=x"

    form = client_for(organiser).get(url).context["form"]

    assert form.initial == {"group": "session_registrants", "sessions": [session.pk]}


def test_preview_fills_the_placeholders_for_the_first_person_by_name(organiser, event, people):
    data = compose_data(subject="News for {name}", body="Hello {name}, welcome to {event}.")

    response = client_for(organiser).post(compose_url(event), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["recipient"].email == "ann@example.org"
    assert "News for Ann Ahmed" in html
    assert "Hello Ann Ahmed, welcome to The Big Conversation." in html
    assert re.search(r'id="recipient-count">\s*3 people', html)
    assert _stored() == (0, 0)


def test_preview_for_another_person_of_the_group(organiser, event, people):
    data = compose_data(body="Hello {name}", preview_for="BO@example.org")

    response = client_for(organiser).post(compose_url(event), data)

    assert response.context["recipient"].email == "bo@example.org"
    assert "Hello Bo Brown" in response.content.decode()


def test_preview_of_an_optional_message_counts_the_people_left_out(organiser, event, people):
    response = client_for(organiser).post(compose_url(event), compose_data(kind="optional"))

    html = response.content.decode()
    assert response.context["reached"].count == 2
    assert "2 people. 1 person left out: they have not agreed to optional emails" in html
    assert "Bo Brown" not in html  # not among the people to preview for
    assert "one-click link to stop optional emails" in html


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("body", "Hello {firstname}", "“{firstname}” is not a placeholder."),
        ("subject", "Hi {name", "There is a “{” without its “}”"),
        ("body", "Join: {join_link}", "“{join_link}” cannot be filled for this group"),
        ("body", "", "Enter the message."),
        ("subject", "", "Enter the subject."),
        ("kind", "", "Choose what the message is about."),
        ("group", "nobody-knows", "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("action", ["preview", "send"])
def test_bad_input_is_a_field_error_and_stores_nothing(
    organiser, event, people, field, value, error, action
):
    response = client_for(organiser).post(
        compose_url(event), compose_data(**{field: value, "action": action})
    )

    assert response.status_code == 400
    assert any(error in e for e in response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert _stored() == (0, 0)
    assert not AuditEntry.objects.filter(action="console.message_sent").exists()


def test_a_group_of_chosen_sessions_needs_sessions_of_this_event(organiser, event, session):
    elsewhere = SessionFactory()
    client = client_for(organiser)

    none = client.post(compose_url(event), compose_data(group="session_registrants"))
    foreign = client.post(
        compose_url(event), compose_data(group="session_registrants", sessions=[elsewhere.pk])
    )
    needless = client.post(compose_url(event), compose_data(sessions=[session.pk]))

    assert none.context["form"].errors["sessions"] == [
        "Choose the sessions: the message goes to people registered for chosen sessions "
        "(with a place or waiting)."
    ]
    assert "Select a valid choice" in foreign.context["form"].errors["sessions"][0]
    assert needless.context["form"].errors["sessions"] == [
        "Everyone registered for the event is not a group of chosen sessions."
    ]
    assert {none.status_code, foreign.status_code, needless.status_code} == {400}
    assert _stored() == (0, 0)


def test_a_group_nobody_is_in_is_refused(organiser, event):
    response = client_for(organiser).post(compose_url(event), compose_data(group="judges"))

    assert response.status_code == 400
    assert response.context["form"].errors["group"] == [
        "Nobody in this group would get the message."
    ]


def test_send_records_the_message_one_email_each_and_an_audit_row(
    organiser, event, session, people
):
    session.capacity = 1
    session.save()
    book(people[0], session)
    book(people[1], session)  # waiting
    data = compose_data(
        group="session_registrants",
        sessions=[session.pk],
        kind="essential",
        subject="About {session}",
        body="Hello {name}\r\nSee you there.",
        action="send",
    )
    OutgoingEmail.objects.all().delete()

    response = client_for(organiser).post(compose_url(event), data, follow=True)

    message = GroupMessage.objects.get()
    assert response.redirect_chain == [(message.get_absolute_url(), 302)]
    assert "Your message is on its way to 2 people." in response.content.decode()
    assert (message.group, list(message.sessions.all()), message.optional) == (
        "session_registrants",
        [session],
        False,
    )
    assert (message.subject, message.body) == ("About {session}", "Hello {name}\nSee you there.")
    assert (message.sent_by, message.recipient_count, message.left_out_count) == (organiser, 2, 0)
    assert sorted(
        OutgoingEmail.objects.filter(kind="group_message").values_list("recipient", "purpose")
    ) == [
        ("ann@example.org", f"group_message:{message.pk}"),
        ("cy@example.org", f"group_message:{message.pk}"),
    ]
    entry = AuditEntry.objects.get(action="console.message_sent")
    assert (entry.actor, entry.event_id, entry.object_repr) == (
        organiser,
        event.pk,
        "About {session}",
    )
    assert entry.data == {
        "group": "People registered for chosen sessions (with a place or waiting)",
        "sessions": [session.title],
        "kind": "essential",
        "recipients": 2,
    }


def test_the_same_preview_sent_twice_sends_once(organiser, event, people):
    client = client_for(organiser)
    preview = client.post(compose_url(event), compose_data())
    key = preview.context["send_key"]

    first = client.post(compose_url(event), compose_data(action="send", send_key=key))
    second = client.post(compose_url(event), compose_data(action="send", send_key=key))

    assert first["Location"] == second["Location"]
    assert _stored() == (1, 3)
    again = client.post(compose_url(event), compose_data())
    assert again.context["send_key"] != key  # each preview its own key


def test_a_send_key_of_another_events_message_is_refused_not_answered(organiser, event, people):
    client = client_for(organiser)
    key = client.post(compose_url(event), compose_data()).context["send_key"]
    client.post(compose_url(event), compose_data(action="send", send_key=key))
    other = EventFactory(slug="other-event")
    EventRole.objects.create(event=other, user=organiser, role=EventRole.Role.ORGANISER)
    register(UserFactory(email="di@example.org", name="Di Dee"), other, email_consent=True)

    response = client.post(compose_url(other), compose_data(action="send", send_key=key))

    assert response.status_code == 400
    assert "This form has already been used" in response.content.decode()
    assert _stored() == (1, 3)  # the first event's message only


def test_change_the_message_goes_back_to_the_form_filled_in(organiser, event, people):
    response = client_for(organiser).post(
        compose_url(event), compose_data(subject="Draft", action="edit", send_key="k")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Draft"' in html
    assert 'name="send_key"' not in html  # a changed message is a new one
    assert _stored() == (0, 0)


def test_the_service_refuses_what_the_form_refuses(event, organiser, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        send(event, "registrants", by=organiser, body="{nope}")

    assert list(refused.value.message_dict) == ["body"]
    assert _stored() == (0, 0)
