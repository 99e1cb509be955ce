"""Exactly-once email: each person gets each email once, whatever the workers do.

Every email is first a row in `EmailDelivery`, unique on (recipient, purpose):
the recipient is the person (their lower-cased address) and the purpose names
what the email is for (`reminder:24h:<session>:<start>`, `message:<id>`,
`confirmation:<registration>:<time>` ...). The row is written in the same
transaction as the change that calls for it, so an email exists exactly when
the change committed, and a second attempt to record it (a re-run, a second
scheduler, a double click) hits the unique constraint and adds nothing.

Sending walks the row through these states, each step one conditional UPDATE
(`... WHERE state = <expected>`), which only one worker can win on PostgreSQL
and on SQLite alike:

    pending ──claim──▶ claimed ──▶ sending ──▶ sent
       ▲                  │            │
       └─ lease expired ──┘            ├─ server refused (4xx) ─▶ pending (retry later)
       └── build/connect failed ───────┤─ server refused (5xx) ─▶ failed
                                       └─ worker died / lost connection ─▶ uncertain

1. **claim**: `pending` (or `claimed` whose lease has run out) → `claimed`,
   with a lease of `LEASE` and the worker's id. Two workers cannot both win.
2. **prepare**: render the message and open the SMTP connection. Nothing has
   left the machine yet, so any failure here puts the row back to `pending`.
   A worker that dies here leaves `claimed`; when the lease runs out the row is
   claimable again and the scheduler (`send_due_reminders`) enqueues it again:
   **a crash after claiming but before sending is retried**.
3. **sending**: committed just before the message is handed to the SMTP
   server. From here on we may have sent it.
4. **sent**: the server answered 250. A worker that dies after that, or any
   time after step 3, leaves `sending`; nothing ever sends a `sending` row
   again, and the scheduler turns it into `uncertain` after the lease, for an
   operator to look at: **a crash after sending is never re-sent**.

The exact guarantee, then: **never two copies**; and exactly one unless the
worker dies (or the connection drops) in the moment between step 3's commit
and the server's reply. In that window we cannot know whether the server took
the message (SMTP has no idempotency), and we choose at most once. An explicit
refusal by the server is a clear "not sent": 4xx is retried (up to
`MAX_ATTEMPTS`), 5xx fails. Every attempt carries the same Message-ID, so even
a copy an operator resends by hand threads as one message in mail clients.

Tasks are only the transport: `send_email_delivery` may run twice (duplicate
enqueues, the scheduler re-enqueueing) and the claim makes the second a no-op.
The queue itself (django-tasks-db) leaves a task `RUNNING` forever if its worker
dies; that is why stale rows are found and re-enqueued from this table, not
from the queue.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction

from convene.attendance.models import EmailDelivery
from convene.core import email_ledger

logger = logging.getLogger(__name__)

LEASE = email_ledger.LEASE
REENQUEUE_AFTER = email_ledger.REENQUEUE_AFTER
MAX_ATTEMPTS = email_ledger.MAX_ATTEMPTS

State = EmailDelivery.State


def _enqueue(delivery_ids: list[int]) -> None:
    from convene.attendance.tasks import send_email_delivery

    email_ledger.enqueue(EmailDelivery, delivery_ids, send_email_delivery, "delivery_id")


def delivery_create(**fields: object) -> EmailDelivery | None:
    """Record one email (in the caller's transaction) and enqueue it after commit.

    Returns None when this person already has this purpose's email recorded.
    """
    fields["recipient"] = str(fields["recipient"]).strip().lower()
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's
            row = EmailDelivery.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue([row.pk]))
    return row


def deliveries_create(rows: Iterable[dict]) -> int:
    """Record many emails at once; those already recorded are skipped. Returns how
    many are new. They are enqueued after commit."""
    rows = list(rows)
    if not rows:
        return 0
    for row in rows:
        row["recipient"] = str(row["recipient"]).strip().lower()
    keys = {(r["recipient"], r["purpose"]) for r in rows}
    purposes = {purpose for _, purpose in keys}
    existing = set(
        EmailDelivery.objects.filter(purpose__in=purposes).values_list("recipient", "purpose")
    )
    new = [
        EmailDelivery(**r)
        for r in {(r["recipient"], r["purpose"]): r for r in rows}.values()
        if (r["recipient"], r["purpose"]) not in existing
    ]
    # ignore_conflicts: another process may record the same email meanwhile.
    EmailDelivery.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)

    def enqueue() -> None:
        ids = list(
            EmailDelivery.objects.filter(
                purpose__in=purposes, state=State.PENDING, enqueued_at__isnull=True
            ).values_list("pk", flat=True)
        )
        _enqueue(ids)

    transaction.on_commit(enqueue)
    return len(new)


def delivery_claim(*, delivery_id: int, worker: str, now: datetime | None = None) -> bool:
    """Step 1: take the row for this worker. True when this worker won it."""
    return email_ledger.claim(EmailDelivery, delivery_id, worker, now)


def delivery_send(*, delivery_id: int, worker: str | None = None) -> str:
    """Claim, prepare, send and record one email (core.email_ledger.send_once);
    returns the state it ends in ("skipped" when another worker has it)."""
    from convene.attendance.emails import build_message

    return email_ledger.send_once(
        EmailDelivery,
        delivery_id,
        build_message,
        worker=worker,
        select_related=("registration__event", "session__event", "message"),
    )


def deliveries_recover(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduler's housekeeping (core/email_ledger.recover)."""
    return email_ledger.recover(EmailDelivery, _enqueue, now=now)
