"""The organiser console's tables.

`GroupMessage`: an email an organiser wrote to a group of an event's people
(console/extensions.py: RECIPIENT_GROUPS). Each person's copy is one row of the
outgoing-email ledger (`core.OutgoingEmail`, purpose `group_message:<id>`),
built when it is sent (console/emails.py); the message keeps the text as
written, placeholders and all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from convene.events.models import Event, Session

#: The ledger's kind for every group message (core.outbox EMAIL_KINDS).
GROUP_MESSAGE = "group_message"


class GroupMessage(models.Model):
    """A message to a group of an event's people, sent once to each of them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="group_messages")
    #: A RecipientGroup's key ("registrants", "session_hosts" ...).
    group = models.CharField(max_length=40)
    #: For the groups of chosen sessions.
    sessions = models.ManyToManyField(Session, blank=True, related_name="+")
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=10000)
    #: News or a follow-up: people who turned optional emails off are left out.
    #: False: about their booking or their part in the event, so to everyone.
    optional = models.BooleanField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: People it was recorded for (each once), and people left out (optional emails off).
    recipient_count = models.PositiveIntegerField(default=0)
    left_out_count = models.PositiveIntegerField(default=0)
    #: The compose form's one-time key: sending the same form twice sends once.
    send_key = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"], name="group_message_by_event")]
        constraints = [
            models.CheckConstraint(condition=~Q(group=""), name="group_message_has_a_group"),
            models.CheckConstraint(condition=~Q(subject=""), name="group_message_has_a_subject"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("console:message", kwargs={"event": self.event.slug, "pk": self.pk})

    @property
    def sender_name(self) -> str:
        """Who sent it, as the sent log says (select `sent_by`)."""
        if self.sent_by is None:
            return "The system"
        if self.sent_by.erased_at is not None:
            return "A deleted account"
        return self.sent_by.name or self.sent_by.email

    @property
    def purpose(self) -> str:
        """The ledger purpose of its emails: with the address, each person's key."""
        return purpose_for(self.pk)


def purpose_for(message_id: int) -> str:
    return f"{GROUP_MESSAGE}:{message_id}"
