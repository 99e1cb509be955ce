"""The live rooms' part of "download my data" and "delete my account"
(registered in LiveConfig.ready through accounts.extensions)."""

from typing import Any

from convene.accounts.extensions import PersonalData
from convene.accounts.models import User
from convene.live.models import Message

ERASED_AUTHOR_NAME = "Former participant"


def export(user: User) -> dict[str, Any]:
    messages = (
        Message.objects.filter(author=user)
        .select_related("room__session__event")
        .order_by("created_at", "pk")
    )
    return {
        "messages": [
            {
                "event_slug": m.room.session.event.slug,
                "session": m.room.session.title,
                "kind": m.kind,
                "text": m.text,
                "posted_as": m.author_name,
                "posted_at": m.created_at.isoformat(),
            }
            for m in messages
        ]
    }


def erase(user: User) -> None:
    """Keep what was said (the conversation stays readable) but not who said it."""
    Message.objects.filter(author=user).update(author=None, author_name=ERASED_AUTHOR_NAME)


PERSONAL_DATA = PersonalData(key="live", export=export, erase=erase)
