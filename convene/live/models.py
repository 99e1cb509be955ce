"""Live rooms: one chat room per session, its messages, reactions and moderation.

Every change that clients must see in order (a message, a prompt, a hidden
message, a question mark, the room opening or closing) takes the next number of
the room's sequence (`Room.last_seq`) in the same transaction that stores it,
so the sequence is the commit order. See docs/live-protocol.md.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from convene.events.models import Event, Session


class ReadAccess(models.TextChoices):
    REGISTERED = "registered", "Only people registered for the session"
    ANYONE = "anyone", "Anyone who can see the session"


class Badge(models.TextChoices):
    """Shown beside a person's name; fixed when the message is posted."""

    HOST = "host", "Host"
    MODERATOR = "moderator", "Moderator"
    ORGANISER = "organiser", "Organiser"
    SPEAKER = "speaker", "Speaker"
    LIVED_EXPERIENCE_PARTNER = "lived_experience_partner", "Lived-experience partner"


class LiveSettings(models.Model):
    """An event's defaults for all its rooms."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="live_settings")
    read_access = models.CharField(
        "who can read the chat",
        max_length=12,
        choices=ReadAccess.choices,
        default=ReadAccess.REGISTERED,
        help_text="Only registered people (and hosts) can write, whatever you choose here.",
    )
    retention_days = models.PositiveIntegerField(
        "delete chat messages after (days)",
        null=True,
        blank=True,
        help_text="Days after the event ends. Leave empty to keep the messages.",
    )

    class Meta:
        verbose_name_plural = "live settings"

    def __str__(self) -> str:
        return f"Live settings of {self.event}"


class Room(models.Model):
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="live_room")
    # The room's sequence: the number of the last change, raised in the change's transaction.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    read_access = models.CharField(
        "who can read the chat",
        max_length=12,
        choices=ReadAccess.choices,
        blank=True,
        help_text="Leave empty to use the event's setting.",
    )
    is_open = models.BooleanField(default=True)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    pinned_prompt = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    peak_presence = models.PositiveIntegerField(default=0, editable=False)
    peak_presence_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__start"]

    def __str__(self) -> str:
        return f"Chat room of {self.session}"

    def get_absolute_url(self) -> str:
        return reverse(
            "live:room",
            kwargs={"event": self.session.event.slug, "session": self.session.slug},
        )

    @property
    def group_name(self) -> str:
        """The channel-layer group every process serving this room subscribes to."""
        return f"live.room.{self.pk}"


class Message(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        PROMPT = "prompt", "Prompt"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField(editable=False)
    # The number of the last change to this message (its own seq until one happens).
    updated_seq = models.PositiveBigIntegerField(editable=False)
    # Made by the sender's browser: sending again with the same id stores nothing new.
    client_id = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_messages",
    )
    # As shown when posted: a later change of name or role does not rewrite the chat.
    author_name = models.CharField(max_length=150)
    badge = models.CharField(max_length=30, choices=Badge.choices, blank=True)
    text = models.TextField()
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        limit_choices_to={"kind": Kind.PROMPT},
    )
    is_question = models.BooleanField("question to answer later", default=False)
    plus_ones = models.PositiveIntegerField(default=0, editable=False)
    # Rises with every reaction change, so the newest count wins however they arrive.
    reaction_rev = models.PositiveIntegerField(default=0, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_example_data = models.BooleanField("example data", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="live_one_message_per_seq"),
            models.UniqueConstraint(fields=["room", "client_id"], name="live_one_client_id"),
        ]
        indexes = [
            models.Index(fields=["room", "updated_seq"], name="live_msg_changes"),
            models.Index(fields=["room", "author", "created_at"], name="live_msg_by_author"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.author_name}: {self.text[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_prompt(self) -> bool:
        return self.kind == self.Kind.PROMPT


class Reaction(models.Model):
    PLUS_ONE = "+1"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_reactions"
    )
    kind = models.CharField(max_length=8, default=PLUS_ONE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "kind"], name="live_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.message_id}"


class Participant(models.Model):
    """A signed-in person who entered a room; a moderator may mute them there."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_participations"
    )
    first_joined_at = models.DateTimeField(default=timezone.now)
    muted_at = models.DateTimeField(null=True, blank=True)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="live_one_participant_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"

    @property
    def is_muted(self) -> bool:
        return self.muted_at is not None


class Report(models.Model):
    """An attendee tells the moderators a message is a problem."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_reports"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="live_one_report_each")
        ]

    def __str__(self) -> str:
        return f"Report on message {self.message_id}"
