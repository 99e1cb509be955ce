"""Buttons on each chat message in the live room (live/extensions.py, the hook
point; registered in contributions/hooks.py):
"Save as top tip" and "Save on the board as a question for the hosts" create a
contribution on the session's board that links back to the message. (Not to be
confused with live's own host tool "Tag as a question to answer later in this
chat", which only tags the message in the chat and its transcript.)

Only `contributions.services` is called; live hands a plain dict describing
the message, so no live model is used here.
"""

from convene.contributions import services
from convene.contributions.models import Contribution
from convene.events.models import Session
from convene.live.extensions import MessageAction


def _allowed(user, session: Session) -> bool:
    return user.has_perm("contributions.add_to_session", session)


def _saver(kind: str, done: str):
    def run(*, user, session: Session, message: dict) -> str:
        contribution, created = services.contribution_from_chat(
            session=session, saved_by=user, message=message, kind=kind
        )
        if not created:
            return f"Already on the board as a {contribution.get_kind_display().lower()}."
        return done

    return run


MESSAGE_ACTIONS = [
    MessageAction(
        name="contributions-save-tip",
        label="Save as top tip",
        allowed=_allowed,
        run=_saver(Contribution.Kind.TIP, "Saved as a top tip on the session's board."),
    ),
    MessageAction(
        name="contributions-mark-question",
        label="Save on the board as a question for the hosts",
        allowed=_allowed,
        run=_saver(
            Contribution.Kind.QUESTION, "Added to the hosts' questions on the session's board."
        ),
    ),
]
