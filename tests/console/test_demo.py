"""The demo's example message (console/demo.py): one briefing to the Big Conversation's team,
sent through the real service, once however often the demo is loaded."""

import pytest

from convene.console.models import GroupMessage
from convene.core.models import OutgoingEmail
from convene.events.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_demo_team_gets_one_briefing_however_often_the_demo_is_loaded():
    demo_load(organiser_password="demo-organiser-pw")
    demo_load(organiser_password="demo-organiser-pw")

    [message] = GroupMessage.objects.all()
    assert (message.event.slug, message.group, message.sender_name) == (
        "big-conversation-2022",
        "team",
        "The system",
    )
    assert list(
        OutgoingEmail.objects.filter(purpose=message.purpose).values_list("recipient", flat=True)
    ) == ["organiser@example.org"]


def test_without_a_demo_organiser_there_is_nobody_to_brief():
    demo_load()

    assert not GroupMessage.objects.exists()
