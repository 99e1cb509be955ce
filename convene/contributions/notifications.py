"""Exactly-once email to askers when their question is answered.

The same guarantee as attendance's email ledger (attendance/delivery.py and
docs/decisions/0005-exactly-once-email.md), built here because that ledger's
rows and messages are attendance's own (registrations, sessions, organisers'
messages) and other apps must not write them (docs/architecture.md: between feature apps
only through selectors and services, and attendance offers no service for
other apps' emails). Decision: docs/decisions/0007-contributions.md.

- `AnswerEmail` is unique per question: the row is recorded in the
  transaction that publishes the answer; publishing again records nothing.
- Sending moves the row pending → claimed → sending → sent, each step one
  conditional UPDATE that only one worker can win (SQLite and PostgreSQL).
  A failure before `sending` puts it back to pending; once `sending` is
  committed the row is never sent again (a crash there leaves it
  `uncertain` for an operator): never two copies.
- Tasks only carry the row's id; `answer_emails_recover` (run by
  `manage.py send_answer_emails`, once or `--loop`) re-enqueues rows a lost
  task or a dead worker left behind.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from convene.contributions.models import AnswerEmail, Contribution
from convene.core import email_ledger
from convene.core.links import absolute_url

logger = logging.getLogger(__name__)

LEASE = email_ledger.LEASE
REENQUEUE_AFTER = email_ledger.REENQUEUE_AFTER
MAX_ATTEMPTS = email_ledger.MAX_ATTEMPTS
State = AnswerEmail.State


def _enqueue(ids: list[int]) -> None:
    from convene.contributions.tasks import send_answer_email

    email_ledger.enqueue(AnswerEmail, ids, send_answer_email, "email_id")


def answer_email_record(*, question: Contribution, recipient: str) -> AnswerEmail | None:
    """Record the asker's email in the caller's transaction; enqueue it after commit.

    Returns None when this question's email was recorded before (ever)."""
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's
            row = AnswerEmail.objects.create(question=question, recipient=recipient.lower())
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue([row.pk]))
    return row


def build_message(row: AnswerEmail) -> EmailMultiAlternatives | None:
    """The email, from current data; None when it is no longer wanted (the
    question was hidden or its answer withdrawn, or the asker left)."""
    question = (
        Contribution.objects.select_related("event", "session", "author")
        .filter(pk=row.question_id)
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
    message = EmailMultiAlternatives(
        subject=f"Your question has been answered: {place}",
        body=render_to_string("contributions/email/answered.txt", context),
        to=[row.recipient],
        headers={"Message-ID": row.header_message_id},
    )
    message.attach_alternative(
        render_to_string("contributions/email/answered.html", context), "text/html"
    )
    return message


def answer_email_send(*, email_id: int, worker: str | None = None) -> str:
    """Claim, prepare, send and record one email (core.email_ledger.send_once);
    returns the state it ends in ("skipped" when another worker has it)."""
    return email_ledger.send_once(AnswerEmail, email_id, build_message, worker=worker)


def answer_emails_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Re-enqueue what a lost task or a dead worker left; mark interrupted sends uncertain."""
    return email_ledger.recover(AnswerEmail, _enqueue, now=now)
