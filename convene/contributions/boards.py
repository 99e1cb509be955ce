"""A board: a session's "Top tips" page, or the event's (which gathers the
event's own contributions and every session's). One small object names its
URLs, rules and selectors, so views, templates and exports treat both alike."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from convene.contributions import selectors
from convene.contributions.models import Contribution
from convene.events.models import Event, Session


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

    def contributions(self, filters: selectors.BoardFilter | None = None) -> QuerySet[Contribution]:
        return selectors.board(event=self.event, session=self.session, filters=filters)


def board_of(contribution: Contribution) -> Board:
    return Board(event=contribution.event, session=contribution.session)
