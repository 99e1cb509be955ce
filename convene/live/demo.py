"""Example chat rooms for the demo events (an `events.extensions.DEMO_DATA` loader).

The demo events' rooms are open to readers, so visitors can see what a room
looks like; the Big Conversation's spread conversation gets an example chat,
closed because the event is over. Every message is invented and marked as
example data: the sources say people answered in the chat box, not what.
"""

from datetime import timedelta

from django.db import transaction

from convene.events.models import Event
from convene.live import services
from convene.live.models import Badge, ReadAccess, Room

SPREAD_SESSION = "what-is-needed-to-help-people-spread-innovation-and-improvement"
HOST = "Session host (example)"

# (minutes after the start, author, badge, text, is a prompt, answers prompt number)
EXAMPLE_CHAT = [
    (2, HOST, Badge.HOST, "Welcome, everyone! Tell us where you are joining from.", False, None),
    (3, "Priya (example)", "", "Hello from a community trust in the North West.", False, None),
    (3, "Tom (example)", "", "Morning all, joining from a GP practice in Devon.", False, None),
    (20, HOST, Badge.HOST, "What is your top tip to enable spread?", True, None),
    (
        21,
        "Amina (example)",
        "",
        "Find the people who are already doing it and let them tell the story.",
        False,
        1,
    ),
    (
        22,
        "Carer partner (example)",
        Badge.LIVED_EXPERIENCE_PARTNER,
        "Ask patients and carers what the benefit looks like to them, early.",
        False,
        1,
    ),
    (
        23,
        "Tom (example)",
        "",
        "Adapt, don't copy: what worked there needs changing to work here. "
        "The guide is at https://www.england.nhs.uk/spread-and-adoption/",
        False,
        1,
    ),
    (35, HOST, Badge.HOST, "What gets in the way of spread where you work?", True, None),
    (36, "Priya (example)", "", "Time. Nobody has time to learn from other teams.", False, 2),
    (37, "Amina (example)", "", "How do we measure spread, not just adoption?", False, 2),
]


@transaction.atomic
def demo_rooms_load(*, events: list[Event]) -> None:
    for event in events:
        services.live_settings_update(
            event=event, read_access=ReadAccess.ANYONE, retention_days=None
        )
    session = (
        Event.objects.get(slug="big-conversation-2022").sessions.filter(slug=SPREAD_SESSION).first()
    )
    if session is None:
        return
    room = services.room_ensure(session=session)
    if room.messages.exists():
        return
    prompts = []
    for index, (minutes, author, badge, text, is_prompt, answers) in enumerate(EXAMPLE_CHAT):
        message = services.message_import(
            room=room,
            author_name=author,
            badge=badge,
            text=text,
            client_id=f"demo-message-{index:04d}",
            kind="prompt" if is_prompt else "message",
            reply_to_id=prompts[answers - 1].pk if answers else None,
            created_at=session.start + timedelta(minutes=minutes),
            is_example_data=True,
        )
        if is_prompt:
            prompts.append(message)
    Room.objects.filter(pk=room.pk).update(pinned_prompt=prompts[-1], is_open=False)
