"""What contributions shows on the organiser console's dashboard
(console.extensions, registered in hooks.py): top tips, ideas and questions
per session, the top-voted tips, and the questions waiting for the hosts'
answer. Each reads one query from selectors.py."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from convene.console.extensions import Cell, DashboardPanel, SessionColumn
from convene.contributions import selectors
from convene.contributions.models import Contribution
from convene.events.models import Event

TOP_TIPS = 5
OLDEST_QUESTIONS = 5


def tips(event: Event) -> dict[int, Cell]:
    return dict(selectors.counts_by_session(event=event, kind=Contribution.Kind.TIP))


def ideas(event: Event) -> dict[int, Cell]:
    return dict(selectors.counts_by_session(event=event, kind=Contribution.Kind.IDEA))


def questions(event: Event) -> dict[int, Cell]:
    return dict(selectors.counts_by_session(event=event, kind=Contribution.Kind.QUESTION))


COLUMNS = [
    SessionColumn("contributions.tips", "Top tips", tips, order=60),
    SessionColumn("contributions.ideas", "Ideas", ideas, order=70),
    SessionColumn("contributions.questions", "Questions", questions, order=80),
]


def top_tips_panel(request: HttpRequest, event: Event) -> str:
    return render_to_string(
        "contributions/dashboard/top_tips.html",
        {"event": event, "tips": selectors.top_tips(event=event, limit=TOP_TIPS)},
        request=request,
    )


def questions_panel(request: HttpRequest, event: Event) -> str:
    return render_to_string(
        "contributions/dashboard/questions.html",
        {
            "event": event,
            "boards": selectors.unanswered_by_board(event=event),
            "oldest": selectors.oldest_unanswered(event=event, limit=OLDEST_QUESTIONS),
        },
        request=request,
    )


PANELS = [
    DashboardPanel("contributions.top_tips", order=30, render=top_tips_panel),
    DashboardPanel("contributions.questions", order=40, render=questions_panel),
]
