"""What contributions add to other apps' pages, through their extension points:

- the event page (events.extensions): a link to the event's board;
- the session page: a "Top tips, ideas and questions" section with the board's
  link and, once hosts publish answers, "Questions we didn't have time for";
- each principle's page (spread.extensions): what is tagged with it, across
  published events, paginated.
"""

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string

from convene.contributions import selectors
from convene.contributions.selectors import Board
from convene.core import stamps
from convene.core.public_cache import Freshness
from convene.events.extensions import PageExtension
from convene.events.models import Event, Session
from convene.spread.extensions import PrincipleExtension

if TYPE_CHECKING:  # spread is reached through its selectors and extensions
    from convene.spread.models import Principle

LENS_PAGE_SIZE = 25


class ContributionsExtension(PageExtension):
    name = "contributions"

    def event_actions(self, request: HttpRequest, event: Event) -> str:
        board = Board(event=event)
        if not request.user.has_perm(board.view_perm, event):
            return ""
        return render_to_string(
            "contributions/includes/event_panel.html", {"board": board}, request=request
        )

    def session_sections(self, request: HttpRequest, session: Session) -> str:
        board = Board(event=session.event, session=session)
        if not request.user.has_perm(board.view_perm, session):
            return ""
        return render_to_string(
            "contributions/includes/session_panel.html",
            {
                "board": board,
                # One query: the session page's query count is tested (tests/events).
                "answered": list(selectors.answers_for_page(session=session)),
                "can_answer": request.user.has_perm(
                    "contributions.answer_session_questions", session
                ),
            },
            request=request,
        )

    def public_version(
        self, request: HttpRequest, page: str, obj: Event | Session
    ) -> Freshness | None:
        """The event page and the programme get a fixed link; the session page
        lists the answered questions, which change with the event's contributions."""
        if page != "session":
            return Freshness()
        return Freshness(stamps=((stamps.event_scope(obj.event.slug), "contributions"),))


#: What a principle's section lists: contributions across events, their votes,
#: and their sessions' and events' titles.
LENS_FRESHNESS = Freshness(
    stamps=((stamps.SITE, "contributions"), (stamps.SITE, "votes"), (stamps.SITE, "events"))
)


class ContributionsLens(PrincipleExtension):
    name = "contributions"

    def principle_section(self, request: HttpRequest, principle: "Principle") -> str:
        queryset = selectors.tagged_with(principle=principle)
        page = Paginator(queryset, LENS_PAGE_SIZE).get_page(request.GET.get("page"))
        return render_to_string(
            "contributions/includes/principle_section.html",
            {"principle": principle, "page": page, "items": list(page.object_list)},
            request=request,
        )

    def public_version(self, request: HttpRequest, principle: "Principle") -> Freshness | None:
        return LENS_FRESHNESS
