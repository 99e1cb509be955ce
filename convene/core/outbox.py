"""One outgoing-email pipeline: each person gets each email once, whatever the workers do.

Every email of every app is first a row of `core.OutgoingEmail`, unique on
(recipient, purpose): the recipient is the person (their lower-cased address)
and the purpose names what the email is for (`reminder:24h:<session>:<start>`,
`message:<id>`, `answer:<question>`, `host_invitation:<id>` ...). The row is
written in the same transaction as the change that calls for it, so an email
exists exactly when the change committed, and a second attempt to record it
(a re-run, a second scheduler, a double click) hits the unique constraint and
adds nothing. Decisions: docs/decisions/0005 and 0017.

Apps plug in; core knows none of them:
- a **message builder** per kind (`EMAIL_KINDS.register(EmailKind("reminder",
  build))` in the app's `hooks.py`, core/hooks.py): it gets the row (kind,
  payload of ids, recipient) and returns a `Message` (subject, text, HTML,
  headers, attachments) built from current data, or None when the email is no
  longer wanted;
- a **scheduled job** if the app records emails on a clock (`SCHEDULED_JOBS`):
  `manage.py run_scheduler` runs every job, then `emails_recover`, once a
  minute. One task (`core.tasks.send_outgoing_email`) sends every kind.

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
2. **prepare**: build the message and open the SMTP connection. Nothing has
   left the machine yet, so any failure here puts the row back to `pending`
   (up to MAX_ATTEMPTS). A worker that dies here leaves `claimed`; when the
   lease runs out the row is claimable again and the scheduler enqueues it
   again: **a crash after claiming but before sending is retried**.
3. **sending**: committed just before the message is handed to the SMTP
   server. From here on we may have sent it.
4. **sent**: the server answered 250. A worker that dies after that, or any
   time after step 3, leaves `sending`; nothing ever sends a `sending` row
   again, and the scheduler turns it into `uncertain` after the lease, for an
   operator to look at: **a crash after sending is never re-sent**.

The exact guarantee, then: **never two copies**; and exactly one unless the
worker dies (or the connection drops) in the moment between step 3's commit
and the server's reply. In that window we cannot know whether the server took
the message (SMTP has no idempotency), and we choose at most once. Every
attempt carries the same Message-ID.

Tasks are only the transport: the send task may run twice (duplicate enqueues,
the scheduler re-enqueueing) and the claim makes the second a no-op. The queue
(django-tasks-db) leaves a task `RUNNING` forever if its worker dies; that is
why stale rows are found and re-enqueued from this table, not from the queue.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from convene.core.hooks import Hook
from convene.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

State = OutgoingEmail.State
# How long a worker may hold a row before another may take it over.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# A pending row whose task has not picked it up in this long is enqueued again.
REENQUEUE_AFTER = timedelta(minutes=2)
# The `last_error` of a row failed because its builder said it is no longer wanted
# (so a sent log can tell these from emails that could not be delivered).
NOT_NEEDED = "No longer needed."


@dataclass(frozen=True)
class Message:
    """What a builder returns. Core adds To (the row's recipient: the key is the
    person, so the email goes nowhere else) and the row's Message-ID."""

    subject: str
    text: str
    html: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    # (filename, content, MIME type), e.g. ("event.ics", b"...", "text/calendar; method=PUBLISH")
    attachments: Sequence[tuple[str, bytes, str]] = ()


Builder = Callable[[OutgoingEmail], Message | None]


@dataclass(frozen=True)
class EmailKind:
    """An app's kind of email and the function that builds each one."""

    kind: str
    build: Builder


@dataclass(frozen=True)
class ScheduledJob:
    """Run on every scheduler pass; `run` returns how many emails it recorded.
    `name` is what the pass reports it as ("reminders recorded")."""

    name: str
    run: Callable[[], int]


#: What each app registers in its hooks.py (core/hooks.py): one builder per kind
#: (two apps claiming one kind is refused), and jobs for emails due on a clock.
EMAIL_KINDS: Hook[EmailKind] = Hook("core.email_kinds", key=lambda e: e.kind, unique=True)
SCHEDULED_JOBS: Hook[ScheduledJob] = Hook("core.scheduled_jobs", key=lambda j: j.name, unique=True)


def registered_kinds() -> list[str]:
    return sorted(e.kind for e in EMAIL_KINDS.all())


def message_for(row: OutgoingEmail) -> EmailMultiAlternatives | None:
    """The email for a row, from its kind's builder; None when no longer wanted."""
    builder = EMAIL_KINDS.get(row.kind)
    if builder is None:  # the app that recorded it is gone: retried, then failed
        raise LookupError(f"No message builder for the email kind {row.kind!r}.")
    built = builder.build(row)
    if built is None:
        return None
    message = EmailMultiAlternatives(
        subject=built.subject,
        body=built.text,
        to=[row.recipient],
        headers={"Message-ID": row.header_message_id, **built.headers},
    )
    if built.html:
        message.attach_alternative(built.html, "text/html")
    for filename, content, mimetype in built.attachments:
        message.attach(filename, content, mimetype)
    return message


def _enqueue(ids: list[int]) -> None:
    """Hand rows to the task queue, noting when."""
    from convene.core.tasks import send_outgoing_email

    if not ids:
        return
    OutgoingEmail.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    for pk in ids:
        send_outgoing_email.enqueue(email_id=pk)


@transaction.atomic
def email_record(
    *, kind: str, recipient: str, purpose: str, payload: Mapping[str, object] | None = None
) -> OutgoingEmail | None:
    """Record one email in the caller's transaction; returns None when this person
    already has this purpose's email recorded (ever).

    Side effects: 1. the ledger row, `pending`; 2. after commit, the send task is
    enqueued with its id.
    """
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's
            row = OutgoingEmail.objects.create(
                kind=kind,
                recipient=recipient.strip().lower(),
                purpose=purpose,
                payload=dict(payload or {}),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue([row.pk]))
    return row


@transaction.atomic
def emails_record(*, kind: str, emails: Iterable[Mapping[str, Any]]) -> int:
    """Record many emails of one kind at once (`{"recipient", "purpose", "payload"}`
    each); those already recorded are skipped. Returns how many are new.

    Side effects: 1. the new ledger rows, `pending`; 2. after commit, the send
    task is enqueued for each.
    """
    rows = {}
    for email in emails:
        recipient = str(email["recipient"]).strip().lower()
        purpose = str(email["purpose"])
        rows[recipient, purpose] = dict(email.get("payload") or {})
    if not rows:
        return 0
    purposes = {purpose for _, purpose in rows}
    existing = set(
        OutgoingEmail.objects.filter(purpose__in=purposes).values_list("recipient", "purpose")
    )
    new = [
        OutgoingEmail(kind=kind, recipient=recipient, purpose=purpose, payload=payload)
        for (recipient, purpose), payload in rows.items()
        if (recipient, purpose) not in existing
    ]
    # ignore_conflicts: another process may record the same email meanwhile.
    OutgoingEmail.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)

    def enqueue() -> None:
        ids = OutgoingEmail.objects.filter(
            purpose__in=purposes, state=State.PENDING, enqueued_at__isnull=True
        ).values_list("pk", flat=True)
        _enqueue(list(ids))

    transaction.on_commit(enqueue)
    return len(new)


def email_claim(*, email_id: int, worker: str, now: datetime | None = None) -> bool:
    """Step 1: take the row for this worker. True when this worker won it."""
    now = now or timezone.now()
    claimable = Q(state=State.PENDING) | Q(state=State.CLAIMED, lease_until__lt=now)
    won = OutgoingEmail.objects.filter(claimable, pk=email_id).update(
        state=State.CLAIMED,
        claimed_by=worker,
        lease_until=now + LEASE,
        attempts=F("attempts") + 1,
    )
    return won == 1


def _release(row: OutgoingEmail, error: str, *, final: bool = False) -> str:
    """Put a row that was not handed to the mail server back (or fail it)."""
    state = State.FAILED if final or row.attempts >= MAX_ATTEMPTS else State.PENDING
    OutgoingEmail.objects.filter(pk=row.pk, claimed_by=row.claimed_by).exclude(
        state=State.SENT
    ).update(state=state, lease_until=None, enqueued_at=None, last_error=error[:2000])
    return state


def email_send(*, email_id: int, worker: str | None = None) -> str:
    """Claim, prepare, send and record one email; returns the state it ends in
    ("skipped" when another worker has it or it was done already).

    Not one transaction on purpose: each step commits, so other workers see it.
    Side effects, in order: 1. the row is claimed (or nothing happens); 2. its
    builder builds the message (None: the row fails, NOT_NEEDED); 3.
    the row becomes `sending`; 4. the message goes to the mail server; 5. the
    row becomes `sent` (or `pending`/`failed`/`uncertain`, as above).
    """
    worker = worker or get_random_string(16)
    if not email_claim(email_id=email_id, worker=worker):
        return "skipped"
    row = OutgoingEmail.objects.get(pk=email_id)
    # Step 2: prepare. Nothing has been sent; a failure puts the row back.
    try:
        message = message_for(row)
        if message is None:  # no longer wanted (cancelled, withdrawn, unsubscribed ...)
            OutgoingEmail.objects.filter(pk=row.pk, claimed_by=worker).update(
                state=State.FAILED, lease_until=None, last_error=NOT_NEEDED
            )
            return State.FAILED
        connection = mailers.default
        connection.open()
    except Exception as exc:
        logger.exception("Could not prepare email %s", row)
        return _release(row, repr(exc))
    # Step 3: from this commit on, the message may have left: never send it again.
    try:
        moved = OutgoingEmail.objects.filter(
            pk=row.pk, state=State.CLAIMED, claimed_by=worker
        ).update(state=State.SENDING, lease_until=timezone.now() + LEASE)
        if not moved:  # our lease ran out and another worker took the row
            return "skipped"
        try:
            connection.send_messages([message])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return _release(row, repr(exc), final=True)
        except smtplib.SMTPResponseException as exc:
            # The server answered with a refusal: the message was not accepted.
            return _release(row, repr(exc), final=exc.smtp_code >= 500)
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            OutgoingEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
                state=State.UNCERTAIN, last_error=repr(exc)[:2000]
            )
            return State.UNCERTAIN
        OutgoingEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
        )
        return State.SENT
    finally:
        connection.close()


def emails_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Housekeeping for the ledger, every kind at once. Each statement is safe on
    its own (a row enqueued twice is claimed once), so no transaction is needed.

    Side effects, in order: 1. `sending` rows whose lease expired (the worker died
    while sending) become `uncertain`, never sent again; 2. these are enqueued
    again: `claimed` with an expired lease (died while preparing), and `pending`
    not picked up within REENQUEUE_AFTER (the task was lost).
    """
    now = now or timezone.now()
    uncertain = OutgoingEmail.objects.filter(state=State.SENDING, lease_until__lt=now).update(
        state=State.UNCERTAIN, last_error="The worker stopped while sending."
    )
    stale = list(
        OutgoingEmail.objects.filter(
            Q(state=State.CLAIMED, lease_until__lt=now)
            | Q(state=State.PENDING, enqueued_at__isnull=True)
            | Q(state=State.PENDING, enqueued_at__lt=now - REENQUEUE_AFTER)
        ).values_list("pk", flat=True)
    )
    _enqueue(stale)
    return {"requeued": len(stale), "uncertain": uncertain}


def scheduler_pass() -> dict[str, int]:
    """One pass of `manage.py run_scheduler`: every registered job (each in its own
    transaction, so one failing does not stop the others), then `emails_recover`."""
    done = {}
    for job in SCHEDULED_JOBS.all():
        try:
            done[job.name] = job.run()
        except Exception:
            logger.exception("The scheduled job %r failed", job.name)
            done[job.name] = 0
    return done | emails_recover()
