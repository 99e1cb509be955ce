"""An example message for the demo (an `events.extensions.DEMO_DATA` loader).

The Big Conversation's team gets a briefing, so the organiser console's
*Messages* page and a message's own page show what they look like. It is sent
through the real service, to the demo's team (the demo organiser, when
`load_demo` made one: its hosts are guests without accounts), so its one email
is in the ledger like any other; loading the demo again sends nothing more.
The text is invented.
"""

from django.db import transaction

from convene.console import services
from convene.console.extensions import recipient_group
from convene.console.models import GroupMessage
from convene.events.models import Event

SUBJECT = "Day 2 running order for the team"
BODY = """Hello {name},

Thank you for helping to run {event}. Day 2 is given to the Open Conversations:
please be in the organisers' call 30 minutes before the first one, and keep an
eye on the chat rooms for questions the hosts have not reached.

The programme: {event_link}
"""


@transaction.atomic
def demo_messages_load(*, events: list[Event]) -> None:
    event = next((e for e in events if e.slug == "big-conversation-2022"), None)
    team = recipient_group("team")
    if event is None or team is None:
        return
    if GroupMessage.objects.filter(event=event, subject=SUBJECT).exists():
        return
    if not team.recipients(event=event, sessions=[]):
        return
    services.group_message_send(
        event=event, group_key="team", subject=SUBJECT, body=BODY, optional=False, by=None
    )
