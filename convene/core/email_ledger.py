"""The exactly-once send for any "email ledger" model (decision 0005).

A ledger row is one email to one person for one purpose, unique in its app's
table. Apps own their rows and how to build the message; this module owns the
one state machine that sends a row at most once, whatever workers do:
pending → claimed → sending → sent, each step a conditional UPDATE that only
one worker can win (SQLite and PostgreSQL). A failure before `sending` puts
the row back (up to MAX_ATTEMPTS); once `sending` is committed the row is
never sent again (a crash there leaves it `uncertain` for an operator).

A ledger model extends `EmailLedgerRow` (state, attempts, claimed_by, lease_until,
enqueued_at, created_at, sent_at, last_error) and adds the recipient and its key.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage, mailers
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

PENDING, CLAIMED, SENDING = "pending", "claimed", "sending"
SENT, FAILED, UNCERTAIN = "sent", "failed", "uncertain"
# How long a worker may hold a row before another may take it over.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


class EmailLedgerRow(models.Model):
    """The state machine's fields; apps add who gets the email and why (its key)."""

    class State(models.TextChoices):
        PENDING = PENDING, "Waiting to be sent"
        CLAIMED = CLAIMED, "Being prepared by a worker"
        SENDING = SENDING, "Handed to the mail server"
        SENT = SENT, "Sent"
        FAILED = FAILED, "Failed"
        UNCERTAIN = UNCERTAIN, "Unknown: the worker stopped while sending"

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


# A pending row whose task has not picked it up in this long is enqueued again.
REENQUEUE_AFTER = timedelta(minutes=2)


def enqueue(model: type[models.Model], ids: list[int], task, argument: str) -> None:
    """Hand rows to the task queue (`task.enqueue(<argument>=id)`), noting when."""
    if not ids:
        return
    model.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    for pk in ids:
        task.enqueue(**{argument: pk})


def recover(
    model: type[models.Model],
    enqueue_ids: Callable[[list[int]], None],
    *,
    now: datetime | None = None,
) -> dict[str, int]:
    """Housekeeping for a ledger: re-enqueue what a dead worker or a lost task left.

    - `claimed` with an expired lease (died while preparing): enqueued again;
    - `pending` not picked up within REENQUEUE_AFTER (the task was lost): again;
    - `sending` with an expired lease (died while sending): becomes `uncertain`,
      never sent again.
    """
    now = now or timezone.now()
    uncertain = model.objects.filter(state=SENDING, lease_until__lt=now).update(
        state=UNCERTAIN, last_error="The worker stopped while sending."
    )
    stale = list(
        model.objects.filter(
            Q(state=CLAIMED, lease_until__lt=now)
            | Q(state=PENDING, enqueued_at__isnull=True)
            | Q(state=PENDING, enqueued_at__lt=now - REENQUEUE_AFTER)
        ).values_list("pk", flat=True)
    )
    enqueue_ids(stale)
    return {"requeued": len(stale), "uncertain": uncertain}


def claim(model: type[models.Model], pk: int, worker: str, now: datetime | None = None) -> bool:
    """Step 1: take the row for this worker. True when this worker won it."""
    now = now or timezone.now()
    claimable = Q(state=PENDING) | Q(state=CLAIMED, lease_until__lt=now)
    won = model.objects.filter(claimable, pk=pk).update(
        state=CLAIMED, claimed_by=worker, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    return won == 1


def release(row: models.Model, error: str, *, final: bool = False) -> str:
    """Put a row that was not handed to the mail server back (or fail it)."""
    state = FAILED if final or row.attempts >= MAX_ATTEMPTS else PENDING
    type(row).objects.filter(pk=row.pk, claimed_by=row.claimed_by).exclude(state=SENT).update(
        state=state, lease_until=None, enqueued_at=None, last_error=error[:2000]
    )
    return state


def send_once(
    model: type[models.Model],
    pk: int,
    build_message: Callable[[models.Model], EmailMessage | None],
    *,
    worker: str | None = None,
    select_related: tuple[str, ...] = (),
) -> str:
    """Claim, prepare, send and record one ledger row; returns the state it ends
    in ("skipped" when another worker has it or it was done already)."""
    worker = worker or get_random_string(16)
    if not claim(model, pk, worker):
        return "skipped"
    rows = model.objects.select_related(*select_related) if select_related else model.objects
    row = rows.get(pk=pk)
    # Step 2: prepare. Nothing has been sent; a failure puts the row back.
    try:
        message = build_message(row)
        if message is None:  # no longer wanted (cancelled, withdrawn, unsubscribed ...)
            model.objects.filter(pk=row.pk, claimed_by=worker).update(
                state=FAILED, lease_until=None, last_error="No longer needed."
            )
            return FAILED
        connection = mailers.default
        connection.open()
    except Exception as exc:
        logger.exception("Could not prepare email %s", row)
        return release(row, repr(exc))
    # Step 3: from this commit on, the message may have left: never send it again.
    try:
        moved = model.objects.filter(pk=row.pk, state=CLAIMED, claimed_by=worker).update(
            state=SENDING, lease_until=timezone.now() + LEASE
        )
        if not moved:  # our lease ran out and another worker took the row
            return "skipped"
        try:
            connection.send_messages([message])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return release(row, repr(exc), final=True)
        except smtplib.SMTPResponseException as exc:
            # The server answered with a refusal: the message was not accepted.
            return release(row, repr(exc), final=exc.smtp_code >= 500)
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            model.objects.filter(pk=row.pk, state=SENDING).update(
                state=UNCERTAIN, last_error=repr(exc)[:2000]
            )
            return UNCERTAIN
        model.objects.filter(pk=row.pk, state=SENDING).update(
            state=SENT, sent_at=timezone.now(), lease_until=None, last_error=""
        )
        return SENT
    finally:
        connection.close()
