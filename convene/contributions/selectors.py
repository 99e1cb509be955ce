"""Reads: boards, the hosts' questions queue, answered questions, exports.

The entry point of contributions for other apps and the API (docs/architecture.md):
`Board` (a board's URLs, rules and contents) and `row_for` (one contribution as
public data) live here with the queries.

Every list here is a fixed number of queries whatever its length: vote counts
come from a correlated subquery over `Vote` rows (never a stored counter),
principles are prefetched, authors and sessions joined.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse

from convene.contributions.models import Contribution, Vote
from convene.core.links import absolute_url
from convene.events.models import Event, Session
from convene.spread import selectors as spread_selectors

if TYPE_CHECKING:  # spread is reached through its selectors (docs/architecture.md)
    from convene.spread.models import Principle

PAGE_SIZE = 50


class Sort:
    VOTES = "votes"
    NEWEST = "newest"
    CHOICES = [(VOTES, "Most votes"), (NEWEST, "Newest")]


def _vote_count() -> Coalesce:
    votes = (
        Vote.objects.filter(contribution=OuterRef("pk"))
        .order_by()
        .values("contribution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(votes, output_field=IntegerField()), 0)


def with_details(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Vote counts, authors, sessions, events and principles, in three queries in all."""
    return (
        queryset.annotate(vote_count=_vote_count())
        .select_related("author", "session", "event")
        .prefetch_related(Prefetch("principles", queryset=spread_selectors.principles_all()))
    )


@dataclass(frozen=True)
class BoardFilter:
    kind: str = ""
    principle: "Principle | None" = None
    sort: str = Sort.VOTES


def board(
    *, event: Event, session: Session | None = None, filters: BoardFilter | None = None
) -> QuerySet[Contribution]:
    """The visible contributions of a session's board, or of the whole event
    (its own board and all its sessions') when `session` is None."""
    filters = filters or BoardFilter()
    queryset = Contribution.objects.filter(event=event, status=Contribution.Status.VISIBLE)
    if session is not None:
        queryset = queryset.filter(session=session)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.principle is not None:
        queryset = queryset.filter(principles=filters.principle)
    queryset = with_details(queryset)
    if filters.sort == Sort.NEWEST:
        return queryset.order_by("-created_at", "-pk")
    # vote_count is annotated by with_details(), which the stubs cannot follow.
    return queryset.order_by("-vote_count", "-created_at", "-pk")  # type: ignore[misc]


def hidden_on_board(*, event: Event, session: Session | None = None) -> QuerySet[Contribution]:
    queryset = Contribution.objects.filter(event=event, status=Contribution.Status.HIDDEN)
    if session is not None:
        queryset = queryset.filter(session=session)
    return with_details(queryset).select_related("hidden_by").order_by("-hidden_at", "-pk")


def voted_ids(*, user, contributions: Iterable[Contribution]) -> frozenset[int]:
    """Which of these contributions this person has voted for (one query)."""
    ids = [c.pk for c in contributions]
    if not user.is_authenticated or not ids:
        return frozenset()
    return frozenset(
        Vote.objects.filter(user=user, contribution_id__in=ids).values_list(
            "contribution_id", flat=True
        )
    )


def vote_counts(*, contributions: QuerySet[Contribution], ids: Iterable[int]) -> dict[int, int]:
    """Current counts of these ids among `contributions` (a board): for live updates."""
    rows = (
        contributions.filter(pk__in=list(ids))
        .order_by()
        .values_list("pk")
        .annotate(n=Count("votes"))
    )
    return dict(rows)


def questions_queue(*, event: Event, session: Session | None) -> QuerySet[Contribution]:
    """The questions still without a published answer, most votes first."""
    return board(
        event=event, session=session, filters=BoardFilter(kind=Contribution.Kind.QUESTION)
    ).filter(answer_published_at=None, **({} if session else {"session": None}))


def answered_questions(*, event: Event, session: Session | None) -> QuerySet[Contribution]:
    """Visible questions with a published answer, most votes first."""
    return board(
        event=event, session=session, filters=BoardFilter(kind=Contribution.Kind.QUESTION)
    ).filter(answer_published_at__isnull=False, **({} if session else {"session": None}))


def answers_for_page(*, session: Session) -> QuerySet[Contribution]:
    """Answered questions for the session page, most votes first, in one query."""
    return (
        Contribution.objects.filter(
            session=session,
            kind=Contribution.Kind.QUESTION,
            status=Contribution.Status.VISIBLE,
            answer_published_at__isnull=False,
        )
        .annotate(vote_count=_vote_count())
        .select_related("author")
        .order_by("-vote_count", "answer_published_at", "pk")
    )


def contribution_by_id(pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("event", "session__event", "author"), pk=pk
    )


def contribution_with_details(pk: int) -> Contribution:
    """One contribution with its vote count, author, session and principles."""
    return with_details(Contribution.objects.filter(pk=pk)).get()


def public_contributions() -> QuerySet[Contribution]:
    """Visible contributions of published events with published programmes (for
    lists across events: principle pages, the API)."""
    return Contribution.objects.filter(
        status=Contribution.Status.VISIBLE,
        event__status=Event.Status.PUBLISHED,
        event__programme_published=True,
    ).filter(Q(session=None) | ~Q(session__kind=Session.Kind.BREAK))


def tagged_with(*, principle: "Principle") -> QuerySet[Contribution]:
    return with_details(public_contributions().filter(principles=principle)).order_by(  # type: ignore[misc]
        "-vote_count", "-created_at", "-pk"
    )


def authored_by(*, user) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(author=user)
        .select_related("event", "session")
        .prefetch_related("principles")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Board:
    event: Event
    session: Session | None = None

    @property
    def scope(self) -> str:
        return "session" if self.session is not None else "event"

    @property
    def target(self) -> Event | Session:
        """What the board's rules are checked against."""
        return self.session if self.session is not None else self.event

    @property
    def title(self) -> str:
        return self.session.title if self.session is not None else self.event.title

    @property
    def filename(self) -> str:
        base = self.event.slug
        if self.session is not None:
            base += f"-{self.session.slug}"
        return f"{base}-top-tips"

    @property
    def view_perm(self) -> str:
        return f"contributions.view_{self.scope}_board"

    @property
    def add_perm(self) -> str:
        return f"contributions.add_to_{self.scope}"

    @property
    def moderate_perm(self) -> str:
        return f"contributions.moderate_{self.scope}_board"

    def url(self, name: str = "board") -> str:
        kwargs = {"event": self.event.slug}
        if self.session is not None:
            kwargs["session"] = self.session.slug
        return reverse(f"contributions:{self.scope}_{name}", kwargs=kwargs)

    # For templates, which cannot pass arguments.
    board_url = property(lambda self: self.url())
    votes_url = property(lambda self: self.url("votes"))
    hidden_url = property(lambda self: self.url("hidden"))
    csv_url = property(lambda self: self.url("csv"))
    markdown_url = property(lambda self: self.url("markdown"))
    questions_url = property(lambda self: self.url("questions"))

    def contributions(self, filters: BoardFilter | None = None) -> QuerySet[Contribution]:
        return board(event=self.event, session=self.session, filters=filters)


def board_of(contribution: Contribution) -> Board:
    return Board(event=contribution.event, session=contribution.session)


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    kind_label: str
    text: str
    link: str
    author: str
    session: str
    session_slug: str
    principles: list[str]
    principle_slugs: list[str]
    votes: int
    created_at: datetime
    answer: str
    answered_at: datetime | None
    chat_message_url: str
    url: str


def row_for(contribution: Contribution) -> Row:
    """One contribution as public data (it must carry `vote_count`, see selectors)."""
    principles = list(contribution.principles.all())
    answered = contribution.is_answered
    session = contribution.session
    return Row(
        id=contribution.pk,
        kind=contribution.kind,
        kind_label=contribution.get_kind_display(),
        text=contribution.text,
        link=contribution.link,
        author=contribution.public_author_name,
        session=session.title if session is not None else "",
        session_slug=session.slug if session is not None else "",
        principles=[p.name for p in principles],
        principle_slugs=[p.slug for p in principles],
        votes=contribution.vote_count,  # type: ignore[attr-defined]  # see with_details()
        created_at=contribution.created_at,
        answer=contribution.answer if answered else "",
        answered_at=contribution.answer_published_at if answered else None,
        chat_message_url=_absolute(contribution.source_message_url),
        url=_absolute(contribution.get_absolute_url()),
    )


def _absolute(path: str) -> str:
    return absolute_url(path) if path else ""


# --- The organiser console's dashboard (console.extensions, dashboard.py) ----------
# One query each, whatever the number of sessions or contributions.


def counts_by_session(*, event: Event, kind: str) -> dict[int, int]:
    """Visible contributions of one kind on each session's board (sessions with
    none, and the event's own board, are left out)."""
    return dict(
        Contribution.objects.filter(
            event=event, kind=kind, status=Contribution.Status.VISIBLE, session__isnull=False
        )
        .order_by()
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )


def top_tips(*, event: Event, limit: int = 5) -> list[Contribution]:
    """The event's visible top tips with the most votes (ties: the board's order,
    newest first), with their sessions and vote counts."""
    return list(
        Contribution.objects.filter(
            event=event, kind=Contribution.Kind.TIP, status=Contribution.Status.VISIBLE
        )
        .annotate(vote_count=_vote_count())
        .select_related("event", "session")
        .order_by("-vote_count", "-created_at", "-pk")[:limit]
    )


def _unanswered(event: Event) -> QuerySet[Contribution]:
    """What the hosts' questions queues hold: visible questions without a published answer."""
    return Contribution.objects.filter(
        event=event,
        kind=Contribution.Kind.QUESTION,
        status=Contribution.Status.VISIBLE,
        answer_published_at=None,
    )


@dataclass(frozen=True)
class QuestionsWaiting:
    """How many questions wait in one questions queue: a session's, or the event
    board's own (`session_title` "")."""

    session_title: str
    count: int
    queue_url: str


def unanswered_by_board(*, event: Event) -> list[QuestionsWaiting]:
    """Each board with questions waiting for an answer and how many: the event's
    own board first, then sessions in programme order."""
    rows = (
        _unanswered(event)
        .values_list("session_id", "session__slug", "session__title", "session__start")
        .annotate(n=Count("pk"))
        .order_by(F("session__start").asc(nulls_first=True), "session__title", "session_id")
    )
    return [
        QuestionsWaiting(
            session_title=title or "",
            count=count,
            queue_url=Board(event=event).url("questions")
            if session_id is None
            else reverse(
                "contributions:session_questions", kwargs={"event": event.slug, "session": slug}
            ),
        )
        for session_id, slug, title, _, count in rows
    ]


def oldest_unanswered(*, event: Event, limit: int = 5) -> list[Contribution]:
    """The questions that have waited longest for an answer, with their sessions and votes."""
    return list(
        _unanswered(event)
        .annotate(vote_count=_vote_count())
        .select_related("event", "session")
        .order_by("created_at", "pk")[:limit]
    )
