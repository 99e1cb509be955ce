"""Exactly-once email to askers when their question is answered.

The same guarantee as attendance's email ledger (attendance/delivery.py and
docs/decisions/0005-exactly-once-email.md), built here because that ledger's
rows and messages are attendance's own (registrations, sessions, organisers'
messages) and other apps must not write them (DESIGN.md: between feature apps
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
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string

from convene.contributions.models import AnswerEmail, Contribution

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
REENQUEUE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 5
State = AnswerEmail.State


def _enqueue(ids: list[int]) -> None:
    from convene.contributions.tasks import send_answer_email

    if not ids:
        return
    AnswerEmail.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    for email_id in ids:
        send_answer_email.enqueue(email_id=email_id)


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


def _claim(email_id: int, worker: str, now: datetime) -> bool:
    claimable = Q(state=State.PENDING) | Q(state=State.CLAIMED, lease_until__lt=now)
    return (
        AnswerEmail.objects.filter(claimable, pk=email_id).update(
            state=State.CLAIMED,
            claimed_by=worker,
            lease_until=now + LEASE,
            attempts=F("attempts") + 1,
        )
        == 1
    )


def _release(row: AnswerEmail, error: str, *, final: bool = False) -> str:
    state = State.FAILED if final or row.attempts >= MAX_ATTEMPTS else State.PENDING
    AnswerEmail.objects.filter(pk=row.pk, claimed_by=row.claimed_by).exclude(
        state=State.SENT
    ).update(state=state, lease_until=None, enqueued_at=None, last_error=error[:2000])
    return state


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
        "page_url": f"{settings.SITE_URL}{page}",
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
    """Claim, prepare, send and record one email; returns the state it ends in
    ("skipped" when another worker has it or it was done already)."""
    worker = worker or get_random_string(16)
    if not _claim(email_id, worker, timezone.now()):
        return "skipped"
    row = AnswerEmail.objects.get(pk=email_id)
    try:
        message = build_message(row)
        if message is None:
            AnswerEmail.objects.filter(pk=row.pk, claimed_by=worker).update(
                state=State.FAILED, lease_until=None, last_error="No longer needed."
            )
            return State.FAILED
        connection = mailers.default
        connection.open()
    except Exception as exc:
        logger.exception("Could not prepare %s", row)
        return _release(row, repr(exc))
    try:
        # From this commit on the message may have left: never send it again.
        moved = AnswerEmail.objects.filter(
            pk=row.pk, state=State.CLAIMED, claimed_by=worker
        ).update(state=State.SENDING, lease_until=timezone.now() + LEASE)
        if not moved:  # the lease ran out and another worker took the row
            return "skipped"
        try:
            connection.send_messages([message])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return _release(row, repr(exc), final=True)
        except smtplib.SMTPResponseException as exc:
            return _release(row, repr(exc), final=exc.smtp_code >= 500)
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            AnswerEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
                state=State.UNCERTAIN, last_error=repr(exc)[:2000]
            )
            return State.UNCERTAIN
        AnswerEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
        )
        return State.SENT
    finally:
        connection.close()


def answer_emails_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Re-enqueue what a lost task or a dead worker left; mark interrupted sends uncertain."""
    now = now or timezone.now()
    uncertain = AnswerEmail.objects.filter(state=State.SENDING, lease_until__lt=now).update(
        state=State.UNCERTAIN, last_error="The worker stopped while sending."
    )
    stale = list(
        AnswerEmail.objects.filter(
            Q(state=State.CLAIMED, lease_until__lt=now)
            | Q(state=State.PENDING, enqueued_at__isnull=True)
            | Q(state=State.PENDING, enqueued_at__lt=now - REENQUEUE_AFTER)
        ).values_list("pk", flat=True)
    )
    _enqueue(stale)
    return {"requeued": len(stale), "uncertain": uncertain}
