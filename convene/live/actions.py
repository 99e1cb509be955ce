"""Running the buttons other apps add to chat messages (their `MessageAction`s,
registered in `live.extensions.MESSAGE_ACTIONS` from each app's hooks.py)."""

from django.core.exceptions import ValidationError

from convene.events.models import Session
from convene.live.extensions import MESSAGE_ACTIONS, MessageAction
from convene.live.models import Message


def allowed_for(user, session: Session) -> list[MessageAction]:
    if not user.is_authenticated:
        return []
    return [a for a in MESSAGE_ACTIONS.all() if a.allowed(user, session)]


def message_data(message: Message) -> dict:
    return {
        "id": message.pk,
        "seq": message.seq,
        "kind": message.kind,
        "text": message.text,
        "author_id": message.author_id,
        "author_name": message.author_name,
        "created_at": message.created_at,
        "reply_to_id": message.reply_to_id,
        "session_id": message.room.session_id,
    }


def run(*, name: str, message: Message, user, access) -> str:
    from convene.live.services import RefusedError

    action = MESSAGE_ACTIONS.get(name)
    session = message.room.session
    if action is None or not action.allowed(user, session):
        raise RefusedError("forbidden", "That action is not available to you here.")
    if message.hidden_at is not None:
        raise RefusedError("hidden", "That message has been removed.")
    try:
        return action.run(user=user, session=session, message=message_data(message)) or "Done."
    except ValidationError as exc:
        raise RefusedError("refused", " ".join(exc.messages)) from None
