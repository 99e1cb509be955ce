"""The console's part of "download my data" and "delete my account": the messages a person
sent, the group messages sent to them; deleting the account deletes those emails (their
address) and keeps the messages, sent by "a deleted account"."""

import pytest

from convene.accounts import services as account_services
from convene.accounts.selectors import user_data_export
from convene.console.models import GroupMessage
from convene.core.models import OutgoingEmail
from tests.console.conftest import messages_url, register, send
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_download_my_data_has_the_messages_sent_and_received(event, organiser, attendee):
    register(attendee, event)
    message = send(event, "registrants", by=organiser, subject="Welcome", body="Hi {name}")

    sender = user_data_export(user=organiser)["console"]
    receiver = user_data_export(user=attendee)["console"]

    assert sender["messages_sent"] == [
        {
            "event_slug": event.slug,
            "subject": "Welcome",
            "body": "Hi {name}",
            "group": "registrants",
            "sessions": [],
            "optional": False,
            "recipients": 1,
            "sent_at": message.created_at.isoformat(),
        }
    ]
    assert receiver == {"messages_sent": [], "messages_received": [message.purpose]}


def test_deleting_an_account_deletes_the_emails_to_it_and_keeps_what_it_sent(
    event, organiser, attendee, outsider
):
    register(attendee, event)
    register(outsider, event)
    message = send(event, "registrants", by=attendee, subject="Sent by the attendee")
    OutgoingEmail.objects.exclude(kind="group_message").delete()

    account_services.user_erase(user=attendee)

    assert list(OutgoingEmail.objects.values_list("recipient", flat=True)) == [
        "outsider@example.org"
    ]
    kept = GroupMessage.objects.select_related("sent_by").get(pk=message.pk)
    assert kept.sender_name == "A deleted account"
    page = client_for(organiser).get(messages_url(event)).content.decode()
    assert "A deleted account" in page
    assert "attendee@example.org" not in page
