"""Hook point of the live app: buttons other apps add to each chat message.

Live must not import the apps that add buttons to its messages (it would then
depend on every feature app, docs/architecture.md), and their code must not use
live's models. An app that wants a button on each chat message ("Save as top
tip", "Add to the unanswered questions") registers a `MessageAction` from its
`hooks.py` (core/hooks.py):

    from convene.live.extensions import MESSAGE_ACTIONS, MessageAction
    MESSAGE_ACTIONS.register(MessageAction(
        name="contributions-save-tip",   # letters, digits, - and _ (unique)
        label="Save as top tip",         # the button's text
        allowed=can_save,                # (user, session) -> bool: who sees it
        run=save_top_tip,                # (*, user, session, message) -> str
    ))

Live then (convene/live/actions.py):

1. renders one button per action the person is allowed, in every message's
   action menu (templates/live/includes/message_actions.html, and the same
   markup for messages that arrive live);
2. on a click, sends {"type": "action", "name": ..., "message": id} (over the
   WebSocket or the POST fallback), checks `allowed` again, and calls `run`
   with a plain dict describing the message (`actions.message_data`: no live
   model leaves this app);
3. shows the string `run` returns to the person ("Saved as a top tip") in the
   room's status line. `run` should call the app's own (atomic) service;
   raising ValidationError refuses, and its message is shown instead.
"""

from collections.abc import Callable
from dataclasses import dataclass

from convene.core.hooks import Hook
from convene.events.models import Session


@dataclass(frozen=True)
class MessageAction:
    name: str
    label: str
    allowed: Callable[[object, Session], bool]
    run: Callable[..., str]


MESSAGE_ACTIONS: Hook[MessageAction] = Hook(
    "live.message_actions", key=lambda action: action.name, unique=True
)
