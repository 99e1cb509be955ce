"""Example contributions for the demo (an `events.extensions.DEMO_DATA` loader).

The Big Conversation's spread conversation gets a few top tips, an idea and
two questions, one answered, so its board and session page show what they
look like. Every row is invented, anonymous and marked as example data: the
sources say people shared top tips in the chat box, not what they were.
"""

from django.db import transaction

from convene.contributions import services
from convene.contributions.models import Contribution
from convene.events.models import Event
from convene.spread import selectors as spread_selectors

SPREAD_SESSION = "what-is-needed-to-help-people-spread-innovation-and-improvement"
Kind = Contribution.Kind

# (kind, text, principle slugs, answer or "")
EXAMPLES = [
    (
        Kind.TIP,
        "Find the people who are already doing it and let them tell the story.",
        ["networks"],
        "",
    ),
    (
        Kind.TIP,
        "Ask patients and carers what the benefit looks like to them, early.",
        ["individual", "benefit"],
        "",
    ),
    (Kind.TIP, "Start small, learn fast, and share what did not work too.", ["learning"], ""),
    (Kind.IDEA, "A monthly open call where adopters ask the team that started it.", [], ""),
    (
        Kind.QUESTION,
        "How do you keep an improvement going after the project team moves on?",
        ["learning", "leadership"],
        "Build it into everyday routines and the learning system before the team steps "
        "back: see the **Learning** principle.",
    ),
    (Kind.QUESTION, "Who should we involve first when we adopt something from elsewhere?", [], ""),
]


@transaction.atomic
def demo_contributions_load(*, events: list[Event]) -> None:
    event = next((e for e in events if e.slug == "big-conversation-2022"), None)
    session = event.sessions.filter(slug=SPREAD_SESSION).first() if event else None
    if session is None:
        return
    Contribution.objects.filter(event=event, is_example_data=True).delete()
    for kind, text, slugs, answer in EXAMPLES:
        contribution = services.contribution_create(
            author=None,
            event=event,
            session=session,
            kind=kind,
            text=text,
            principles=spread_selectors.principles_from_slugs(slugs),
            is_anonymous=True,
            is_example_data=True,
            rate_limited=False,
        )
        if answer:
            services.question_answer_publish(question=contribution, by=None, answer=answer)
