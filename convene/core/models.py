"""Core's tables: the outgoing-email ledger every app writes through core.outbox, and
the audit log every app writes through core.audit, and the stamps that tell cached
public answers they are out of date (core.stamps)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One email to one person for one purpose; the unique pair makes it exactly once.

    `kind` names the message builder an app registered (core/outbox.py); `payload`
    holds the ids that builder needs (`{"registration": 3, "session": 7}`), so
    core needs no foreign key into any app. See core/outbox.py for the states
    and what they guarantee (docs/decisions/0017).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        CLAIMED = "claimed", "Being prepared by a worker"
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNCERTAIN = "uncertain", "Unknown: the worker stopped while sending"

    # Lower-cased address: the person. With `purpose` it is the idempotency key.
    recipient = models.EmailField()
    purpose = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "purpose"], name="one_outgoing_email_per_person_and_purpose"
            )
        ]
        indexes = [
            models.Index(fields=["state", "lease_until"], name="outgoing_email_due"),
            # The per-address limits count one kind to one address (attendance's verify).
            models.Index(fields=["recipient", "kind", "created_at"], name="outgoing_email_recent"),
            # Every email of one purpose, whoever it went to (a group message's sent log).
            models.Index(fields=["kind", "purpose"], name="outgoing_email_by_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.recipient} ({self.state})"

    @property
    def header_message_id(self) -> str:
        """The same Message-ID on every attempt, so a mail client shows one copy."""
        return f"<{self.purpose.replace(':', '.')}.{self.pk}@convene>"


class AuditEntry(models.Model):
    """One change a person made through a service: who, when, what, to which thing.

    Written by `core.audit.audit_record`, in the service's own transaction, so a
    change and its entry exist together or not at all. `event_id` is the event the
    change belongs to (an `events.Event` id: core points into no app); the object
    is named by content type and id, with its name at the time (`object_repr`),
    so the log still reads when the thing is deleted. `subject` is the person the
    change was about, if any (the person muted, given a role ...), with their name
    then. `data` is a short JSON of the change (`{"title": ["Old", "New"]}`,
    counts, the role given ...).
    """

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The actor's name then (the account may change name or be deleted; erased with it).
    actor_name = models.CharField(max_length=200, blank=True)
    event_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject_name = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["event_id", "-created_at"], name="audit_by_event"),
            models.Index(fields=["actor", "-created_at"], name="audit_by_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.action}"


class Stamp(models.Model):
    """A token that changes whenever what some public pages show changes (core.stamps).

    `scope` names what it is about ("site", "event:<slug>"), `name` which part
    ("programme", "votes"). Written in the same transaction as the change, so a
    reader never sees the new data with the old token (docs/decisions/0022).
    """

    scope = models.CharField(max_length=120)
    name = models.CharField(max_length=40)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "name"], name="one_stamp_per_scope_and_name")
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.name}"
