"""Top tips, ideas and questions people share at an event, their votes, and the
emails that tell askers their question was answered.

A contribution belongs to an event, and to one of its sessions or to the event
as a whole. Counts of votes are always counted from `Vote` rows (no stored
counter that could drift). Chat messages it came from are referenced by id
only: `live` is another feature app, and docs/architecture.md forbids a hard link.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import NoReverseMatch, reverse

from convene.events.models import Event, Session

TEXT_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 10_000
ANONYMOUS = "Anonymous"


class Contribution(models.Model):
    class Kind(models.TextChoices):
        TIP = "tip", "Top tip"
        IDEA = "idea", "Idea"
        QUESTION = "question", "Question"

    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden by a moderator"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributions")
    # Empty: shared on the event's own board rather than a session's.
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contributions",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TIP)
    text = models.TextField(validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    link = models.URLField("link (optional)", max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    is_anonymous = models.BooleanField(
        "anonymous to the public",
        default=False,
        help_text="Your name is not shown; the session's moderators can still see it.",
    )
    principles = models.ManyToManyField(
        "spread.Principle", blank=True, related_name="contributions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The live chat message it was saved from (live.Message id), and who saved it.
    source_message_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Questions only: the hosts' answer (Markdown), a draft until published.
    answer = models.TextField(blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_published_at = models.DateTimeField(null=True, blank=True)
    is_example_data = models.BooleanField("example data", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("text")), 0), name="contribution_has_text"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH),
                name="contribution_text_not_too_long",
            ),
            models.CheckConstraint(
                condition=Q(kind="question") | (Q(answer="") & Q(answer_published_at=None)),
                name="only_questions_have_answers",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="contrib_event_board"),
            models.Index(fields=["session", "status", "created_at"], name="contrib_session_board"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        if self.session_id:
            board = reverse(
                "contributions:session_board",
                kwargs={"event": self.event.slug, "session": self.session.slug},
            )
        else:
            board = reverse("contributions:event_board", kwargs={"event": self.event.slug})
        return f"{board}#contribution-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.answer_published_at is not None

    @property
    def public_author_name(self) -> str:
        """What everyone sees: the person's name, or "Anonymous"."""
        if self.is_anonymous or self.author is None or not self.author.name:
            return ANONYMOUS
        return self.author.name

    @property
    def source_message_url(self) -> str:
        """The chat message it came from, in the session's room ("" if none or no room)."""
        if not (self.source_message_id and self.session_id):
            return ""
        try:
            room = reverse(
                "live:room", kwargs={"event": self.event.slug, "session": self.session.slug}
            )
        except NoReverseMatch:  # the live app is not installed
            return ""
        return f"{room}#message-{self.source_message_id}"


class Vote(models.Model):
    """One person's vote for one contribution; the unique pair makes votes countable."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contribution_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"Vote by {self.user_id} for {self.contribution_id}"
