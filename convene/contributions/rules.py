"""Who may see, add, vote on, change, moderate and answer contributions.

Boards follow the event's visibility rules (events/rules.py): a session's
board is there when its page is. Then:

- add and vote: signed-in, active people who can see the board;
- edit and delete: the author only (not once a moderator has hidden it);
- hide and restore: the session's moderators (hosts, co-hosts and moderators
  of that session) and the event's organisers; on an event's own board, its
  organisers; superusers everywhere;
- answer questions and see a session's questions queue: anyone hosting the
  session (any host role) and the event's organisers.
"""

import rules

# Role facts (who organises, hosts and moderates) are events.rules', the same the
# live room uses.
from convene.events.models import Session
from convene.events.rules import (
    can_view_programme,
    hosts_session,
    is_event_organiser,
    is_session_organiser,
    moderates_session,
    session_programme_visible,
)

# --- Boards (object: a Session or an Event) ---------------------------------------


@rules.predicate
def session_takes_contributions(user, session: Session) -> bool:
    return session.kind != Session.Kind.BREAK


can_write = rules.is_authenticated & rules.is_active

rules.add_perm(
    "contributions.view_session_board", session_programme_visible & session_takes_contributions
)
rules.add_perm("contributions.view_event_board", can_view_programme)
rules.add_perm(
    "contributions.add_to_session",
    can_write & session_programme_visible & session_takes_contributions,
)
rules.add_perm("contributions.add_to_event", can_write & can_view_programme)
rules.add_perm(
    "contributions.moderate_session_board",
    session_programme_visible & (moderates_session | is_session_organiser | rules.is_superuser),
)
rules.add_perm(
    "contributions.moderate_event_board",
    can_view_programme & (is_event_organiser | rules.is_superuser),
)
rules.add_perm(
    "contributions.answer_session_questions",
    session_programme_visible & (hosts_session | is_session_organiser | rules.is_superuser),
)


# --- One contribution -------------------------------------------------------------


@rules.predicate
def can_see_its_board(user, contribution) -> bool:
    if contribution.session_id:
        return user.has_perm("contributions.view_session_board", contribution.session)
    return user.has_perm("contributions.view_event_board", contribution.event)


@rules.predicate
def is_author(user, contribution) -> bool:
    return user.is_authenticated and contribution.author_id == user.pk


@rules.predicate
def is_visible(user, contribution) -> bool:
    return not contribution.is_hidden


@rules.predicate
def moderates_its_board(user, contribution) -> bool:
    if contribution.session_id:
        return user.has_perm("contributions.moderate_session_board", contribution.session)
    return user.has_perm("contributions.moderate_event_board", contribution.event)


@rules.predicate
def is_question_of_hosted_session(user, contribution) -> bool:
    return (
        contribution.is_question
        and contribution.session_id is not None
        and user.has_perm("contributions.answer_session_questions", contribution.session)
    )


@rules.predicate
def is_event_board_question_for_organiser(user, contribution) -> bool:
    return (
        contribution.is_question
        and contribution.session_id is None
        and user.has_perm("contributions.moderate_event_board", contribution.event)
    )


rules.add_perm("contributions.view_contribution", can_see_its_board & is_visible)
rules.add_perm("contributions.vote", can_write & can_see_its_board & is_visible)
rules.add_perm(
    "contributions.change_contribution", can_write & can_see_its_board & is_author & is_visible
)
rules.add_perm("contributions.delete_contribution", can_write & can_see_its_board & is_author)
rules.add_perm("contributions.hide_contribution", can_write & moderates_its_board)
rules.add_perm(
    "contributions.answer_question",
    can_write
    & is_visible
    & (is_question_of_hosted_session | is_event_board_question_for_organiser),
)
