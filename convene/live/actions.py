"""Per-message actions that other apps add to the room (the hook for contributions).

Live must not import the apps that add buttons to its messages (it would then
depend on every feature app, docs/architecture.md), and no app imports `live`:
its models stay its own. An app that wants a button on each chat
message ("Save as top tip", "Add to the unanswered questions") instead adds a
module `live_actions.py` to itself, defining:

    MESSAGE_ACTIONS = [
        {
            "name": "save-top-tip",             # letters, digits, - and _ (unique)
            "label": "Save as top tip",         # the button's text
            "allowed": can_save,                # (user, session) -> bool: who sees it
            "run": save_top_tip,                # (*, user, session, message) -> str
        },
    ]

Live finds these modules when it starts (as Django's admin finds admin.py) and:

1. renders one button per action the person is allowed, in every message's
   action menu (templates/live/includes/message_actions.html, and the same
   markup for messages that arrive live);
2. on a click, sends {"type": "action", "name": ..., "message": id} (over the
   WebSocket or the POST fallback), checks `allowed` again, and calls `run`
   with a plain dict describing the message (`message_data` below: no live
   model leaves this app);
3. shows the string `run` returns to the person ("Saved as a top tip") in the
   room's status line. `run` should call the app's own (atomic) service;
   raising ValidationError refuses, and its message is shown instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import module_has_submodule

from convene.events.models import Session
from convene.live.models import Message


@dataclass(frozen=True)
class MessageAction:
    name: str
    label: str
    allowed: Callable[[object, Session], bool]
    run: Callable[..., str]


_registry: dict[str, MessageAction] = {}


def register(spec: dict | MessageAction) -> MessageAction:
    action = spec if isinstance(spec, MessageAction) else MessageAction(**spec)
    _registry[action.name] = action
    return action


def unregister(name: str) -> None:
    _registry.pop(name, None)


def discover() -> None:
    """Import every installed app's `live_actions` module and register its actions."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "live_actions"):
            module = import_module(f"{config.name}.live_actions")
            for spec in getattr(module, "MESSAGE_ACTIONS", []):
                register(spec)


def allowed_for(user, session: Session) -> list[MessageAction]:
    return [a for a in _registry.values() if user.is_authenticated and a.allowed(user, session)]


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

    action = _registry.get(name)
    session = message.room.session
    if action is None or not action.allowed(user, session):
        raise RefusedError("forbidden", "That action is not available to you here.")
    if message.hidden_at is not None:
        raise RefusedError("hidden", "That message has been removed.")
    try:
        return action.run(user=user, session=session, message=message_data(message)) or "Done."
    except ValidationError as exc:
        raise RefusedError("refused", " ".join(exc.messages)) from None
