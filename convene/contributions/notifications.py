"""Exactly-once email to askers when their question is answered.

Sent through the one outgoing-email pipeline (core/outbox.py, decision 0017):
the row is recorded in the transaction that publishes the answer, with the
purpose `answer:<question>` (one per question, ever: publishing again records
nothing), and `build_message`, registered for the kind "answer" in
ContributionsConfig.ready, builds it from current data when a worker sends it.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from convene.contributions.models import Contribution
from convene.core import outbox
from convene.core.links import absolute_url
from convene.core.models import OutgoingEmail

KIND = "answer"


@transaction.atomic
def answer_email_record(*, question: Contribution, recipient: str) -> OutgoingEmail | None:
    """Record the asker's email in the caller's transaction; returns None when this
    question's email was recorded before (ever, to whichever address).

    Side effects: 1. the outgoing email row; 2. after commit, it is enqueued.
    """
    purpose = f"answer:{question.pk}"
    if OutgoingEmail.objects.filter(purpose=purpose).exists():
        return None
    return outbox.email_record(
        kind=KIND, recipient=recipient, purpose=purpose, payload={"question": question.pk}
    )


def build_message(row: OutgoingEmail) -> outbox.Message | None:
    """The email, from current data; None when it is no longer wanted (the
    question was hidden or its answer withdrawn, or the asker left)."""
    question = (
        Contribution.objects.select_related("event", "session", "author")
        .filter(pk=row.payload.get("question"))
        .first()
    )
    if question is None or question.is_hidden or not question.is_answered:
        return None
    author = question.author
    if author is None or not author.is_active or author.email.lower() != row.recipient:
        return None
    place = question.session or question.event
    page = place.get_absolute_url() + "#questions-answered"
    context = {
        "question": question,
        "place": place,
        "page_url": absolute_url(page),
        "site_name": settings.SITE_NAME,
    }
    return outbox.Message(
        subject=f"Your question has been answered: {place}",
        text=render_to_string("contributions/email/answered.txt", context),
        html=render_to_string("contributions/email/answered.html", context),
    )
