"""Every change to contributions, votes and answers (views, the API, the chat
room's message actions and the demo call these; nothing else writes).

Each function is atomic and validates everything before it writes, so bad
input raises ValidationError and stores nothing.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.contributions import notifications
from convene.contributions.models import (
    ANSWER_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Contribution,
    Vote,
)
from convene.core import audit, stamps
from convene.events.models import Event, Session

if TYPE_CHECKING:  # spread is reached through its selectors (docs/architecture.md)
    from convene.spread.models import Principle

Kind = Contribution.Kind
# Public writes: at most this many new contributions a person in RATE_WINDOW seconds.
RATE_LIMIT = 30
RATE_WINDOW = 10 * 60


class RateLimitedError(ValidationError):
    """Too many contributions in a short time (the API answers 429)."""


def _audit(contribution: Contribution, action: str, by: User | None) -> None:
    """A moderator's or host's change, in the event's audit log (core.audit)."""
    audit.audit_record(
        actor=by,
        action=action,
        obj=contribution,
        event_id=contribution.event_id,
        data={"kind": contribution.get_kind_display()},
    )


def _check_rate(user: User) -> None:
    limit = getattr(settings, "CONTRIBUTIONS_RATE_LIMIT", RATE_LIMIT)
    key = f"contributions:create:{user.pk}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        return
    if count > limit:
        raise RateLimitedError(
            "You have shared a lot in a short time. Please wait a few minutes and try again.",
            code="rate_limited",
        )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your top tip, idea or question."}, code="required")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": f"Keep it to {TEXT_MAX_LENGTH} characters or fewer (it has {len(text)})."},
            code="max_length",
        )
    return text


def _clean_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError(
            {"kind": f"Choose one of: {', '.join(Kind.values)}."}, code="invalid_choice"
        )
    return kind


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    if len(link) > 500:
        raise ValidationError({"link": "Keep the link to 500 characters or fewer."})
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise ValidationError(
            {"link": "Enter a web address starting http:// or https://."}, code="invalid"
        ) from None
    return link


def _clean_principles(principles: Iterable["Principle"]) -> list["Principle"]:
    principles = list(principles)
    # The model the tags point to, without importing spread's models.
    principle_model = Contribution._meta.get_field("principles").related_model
    if any(not isinstance(p, principle_model) or p.pk is None for p in principles):
        raise ValidationError({"principles": "Choose principles from the list."})
    return principles


def _check_board(event: Event, session: Session | None) -> None:
    if session is not None and session.event_id != event.pk:
        raise ValidationError("That session belongs to another event.")
    if session is not None and session.kind == Session.Kind.BREAK:
        raise ValidationError("Breaks have no board.")


@transaction.atomic
def contribution_create(
    *,
    author: User | None,
    event: Event,
    session: Session | None = None,
    kind: str,
    text: str,
    link: str = "",
    principles: Iterable["Principle"] = (),
    is_anonymous: bool = False,
    source_message_id: int | None = None,
    saved_by: User | None = None,
    is_example_data: bool = False,
    rate_limited: bool = True,
) -> Contribution:
    """Add a top tip, idea or question to a session's board or the event's.

    Side effects, in order:
    1. everything is checked (text, kind, link, principles, the board, the
       person's rate) and nothing is stored if any check fails;
    2. the contribution is stored with its principles.
    """
    kind = _clean_kind(kind)
    text = _clean_text(text)
    link = _clean_link(link)
    principles = _clean_principles(principles)
    _check_board(event, session)
    if rate_limited and author is not None:
        _check_rate(saved_by or author)
    contribution = Contribution.objects.create(
        event=event,
        session=session,
        kind=kind,
        text=text,
        link=link,
        author=author,
        is_anonymous=is_anonymous,
        source_message_id=source_message_id,
        saved_by=saved_by,
        is_example_data=is_example_data,
    )
    contribution.principles.set(principles)
    return contribution


@transaction.atomic
def contribution_from_chat(
    *, session: Session, saved_by: User, message: dict, kind: str
) -> tuple[Contribution, bool]:
    """Save a chat message (live's plain description of it) as a contribution.

    The message's author is the contribution's author. Someone saving their own
    message shares it under their name; a host, moderator or organiser saving
    another person's message shares it anonymously to the public (the chat may
    be read by fewer people than the board), and the author can change that.
    Anyone else may save only their own messages.

    Side effects, in order:
    1. if the message was saved before, nothing changes and (it, False) returns;
    2. the contribution is created (contribution_create), linked to the message.
    """
    existing = Contribution.objects.filter(source_message_id=message["id"]).first()
    if existing is not None:
        return existing, False
    if message.get("session_id") != session.pk:
        raise ValidationError("That message is from another session's chat.")
    own = message.get("author_id") == saved_by.pk
    if not own and not (
        saved_by.has_perm("contributions.moderate_session_board", session)
        or saved_by.has_perm("contributions.answer_session_questions", session)
    ):
        raise ValidationError("You can save your own messages. Hosts can save anyone's.")
    author_id = message.get("author_id")
    author = saved_by if own else User.objects.filter(pk=author_id).first() if author_id else None
    try:
        with transaction.atomic():  # a savepoint: two clicks at once store one
            contribution = contribution_create(
                author=author,
                event=session.event,
                session=session,
                kind=kind,
                text=message.get("text", ""),
                is_anonymous=not own,
                source_message_id=message["id"],
                saved_by=saved_by,
            )
    except IntegrityError:  # another click saved it meanwhile
        existing = Contribution.objects.filter(source_message_id=message["id"]).first()
        if existing is None:
            raise
        return existing, False
    return contribution, True


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    by: User,
    kind: str,
    text: str,
    link: str = "",
    principles: Iterable["Principle"] = (),
    is_anonymous: bool = False,
) -> Contribution:
    """The author changes what they shared.

    Side effects, in order:
    1. the new values are checked; a hidden contribution, or an answered
       question turned into something else, is refused (nothing changes);
    2. the row and its principles are saved.
    """
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.author_id != by.pk:
        raise ValidationError("Only the person who shared this can change it.")
    if locked.is_hidden:
        raise ValidationError("A moderator has hidden this, so it cannot be changed.")
    kind = _clean_kind(kind)
    if locked.is_question and kind != Kind.QUESTION and (locked.answer or locked.is_answered):
        raise ValidationError({"kind": "The hosts have answered this question: it stays one."})
    locked.kind = kind
    locked.text = _clean_text(text)
    locked.link = _clean_link(link)
    locked.is_anonymous = is_anonymous
    principles = _clean_principles(principles)
    locked.save(update_fields=["kind", "text", "link", "is_anonymous", "updated_at"])
    locked.principles.set(principles)
    return locked


@transaction.atomic
def contribution_delete(*, contribution: Contribution, by: User) -> None:
    """The author removes what they shared.

    Side effects: the contribution, its votes, its principles' tags and its
    answer email (if not sent yet, it never will be) are deleted.
    """
    if contribution.author_id != by.pk:
        raise ValidationError("Only the person who shared this can delete it.")
    Contribution.objects.filter(pk=contribution.pk).delete()


@transaction.atomic
def boards_stamped(*, event_ids: Iterable[int], name: str) -> None:
    """What these events' boards show changed: their and the site's `name` stamp
    ("contributions" or "votes", core.stamps) change, so cached pages are rebuilt.

    Side effects: one stamp row per event and one for the site written."""
    slugs = Event.objects.filter(pk__in=set(event_ids)).values_list("slug", flat=True)
    for slug in slugs:
        stamps.bump(stamps.event_scope(slug), name)
    stamps.bump(stamps.SITE, name)


@transaction.atomic
def contribution_hide(*, contribution: Contribution, by: User) -> Contribution:
    """A moderator hides a contribution from boards, exports, the API and votes.

    Side effects: status becomes hidden, with who and when (an UPDATE, so the
    boards' stamps are bumped here: no signal sees it); votes are kept, so
    restoring brings the same count back. Hiding twice changes nothing.
    """
    updated = Contribution.objects.filter(
        pk=contribution.pk, status=Contribution.Status.VISIBLE
    ).update(status=Contribution.Status.HIDDEN, hidden_at=timezone.now(), hidden_by=by)
    boards_stamped(event_ids=[contribution.event_id], name="contributions")
    contribution.refresh_from_db()
    if not updated and not contribution.is_hidden:  # pragma: no cover - impossible states
        raise ValidationError("Could not hide this.")
    if updated:
        _audit(contribution, "contributions.hidden", by)
    return contribution


@transaction.atomic
def contribution_restore(*, contribution: Contribution, by: User) -> Contribution:
    """A moderator shows a hidden contribution again.

    Side effects: status becomes visible; who hid it and when are cleared; the
    boards' stamps change (as for hiding).
    """
    restored = Contribution.objects.filter(
        pk=contribution.pk, status=Contribution.Status.HIDDEN
    ).update(status=Contribution.Status.VISIBLE, hidden_at=None, hidden_by=None)
    boards_stamped(event_ids=[contribution.event_id], name="contributions")
    contribution.refresh_from_db()
    if restored:
        _audit(contribution, "contributions.restored", by)
    return contribution


@transaction.atomic
def contribution_vote_toggle(
    *, contribution: Contribution, user: User, on: bool | None = None
) -> tuple[bool, int]:
    """Vote for a contribution, or take the vote back. Returns (voted, count).

    `on=None` flips the person's vote; True or False sets it (so a double
    click on "Vote" votes once).

    Side effects, in order:
    1. the contribution's row is locked: one person's concurrent toggles run
       one after the other (on SQLite the IMMEDIATE transaction does the same);
    2. a hidden contribution is refused (nothing stored);
    3. the person's Vote row is created or deleted (unique per person and
       contribution, so a count of rows never double counts);
    4. the count is counted from the rows.
    """
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.is_hidden:
        raise ValidationError("A moderator has hidden this, so it cannot be voted on.")
    votes = Vote.objects.filter(contribution=locked, user=user)
    has_vote = votes.exists()
    wanted = (not has_vote) if on is None else on
    if wanted and not has_vote:
        Vote.objects.create(contribution=locked, user=user)
    elif not wanted and has_vote:
        votes.delete()
    return wanted, Vote.objects.filter(contribution=locked).count()


def _locked_question(question: Contribution) -> Contribution:
    locked = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("event", "session", "author")
        .get(pk=question.pk)
    )
    if not locked.is_question:
        raise ValidationError("Only questions have answers.")
    if locked.is_hidden:
        raise ValidationError("A moderator has hidden this question.")
    return locked


def _clean_answer(answer: str) -> str:
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write the answer."}, code="required")
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {"answer": f"Keep the answer to {ANSWER_MAX_LENGTH} characters or fewer."},
            code="max_length",
        )
    return answer


@transaction.atomic
def question_answer_save(*, question: Contribution, by: User, answer: str) -> Contribution:
    """A host saves an answer without publishing it (a draft), or edits a
    published one (which stays published; the asker is not emailed again).

    Side effects: the answer text and who wrote it are saved.
    """
    locked = _locked_question(question)
    locked.answer = _clean_answer(answer)
    locked.answered_by = by
    locked.save(update_fields=["answer", "answered_by", "updated_at"])
    _audit(locked, "contributions.answer_saved", by)
    return locked


@transaction.atomic
def question_answer_publish(
    *, question: Contribution, by: User | None, answer: str
) -> Contribution:
    """A host publishes the answer to a question.

    Side effects, in order:
    1. the answer (Markdown, rendered sanitised) is saved and marked published
       (the first publication's time is kept if it is published again);
    2. the session page lists it under "Questions we didn't have time for";
    3. the asker's email is recorded, once per question ever, and enqueued
       after commit (notifications.py); an anonymous-to-public asker is
       emailed too, a question without an asker (erased account) is not.
    """
    locked = _locked_question(question)
    locked.answer = _clean_answer(answer)
    locked.answered_by = by
    locked.answer_published_at = locked.answer_published_at or timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answer_published_at", "updated_at"])
    author = locked.author
    if author is not None and author.is_active and author.email:
        notifications.answer_email_record(question=locked, recipient=author.email)
    _audit(locked, "contributions.answer_published", by)
    return locked


@transaction.atomic
def question_answer_unpublish(*, question: Contribution, by: User) -> Contribution:
    """A host takes a published answer off the session page (kept as a draft).

    Side effects: the publication time is cleared; an email already recorded
    stays recorded (publishing again sends nothing new).
    """
    locked = _locked_question(question)
    locked.answer_published_at = None
    locked.save(update_fields=["answer_published_at", "updated_at"])
    _audit(locked, "contributions.answer_unpublished", by)
    return locked
