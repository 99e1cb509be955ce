"""Events, their programme (rooms, tracks and sessions), hosts and per-event roles.

Times are stored in UTC (USE_TZ); each event names the zone its programme is
shown in. Session start/end are aware datetimes.
"""

import uuid
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from convene.events import tokens
from convene.events.dates import event_dates_errors, session_window

TIME_ZONE_CHOICES = sorted((zone, zone.replace("_", " ")) for zone in available_timezones())


def split_hashtags(value: str) -> list[str]:
    """'#A, B #C' -> ['#A', '#B', '#C'] (order kept, duplicates dropped)."""
    tags: list[str] = []
    for raw in value.replace(",", " ").split():
        tag = "#" + raw.lstrip("#")
        if len(tag) > 1 and tag not in tags:
            tags.append(tag)
    return tags


class Event(models.Model):
    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"
        SOCIAL = "social", "On social media"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    strapline = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    start_date = models.DateField()
    end_date = models.DateField()
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/London")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.ONLINE)
    hashtags = models.CharField(
        max_length=300, blank=True, help_text="For example #ImprovingTogether"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    programme_published = models.BooleanField(
        default=False,
        help_text="While off, only organisers see the programme and its sessions.",
    )
    # Raised whenever a session, host or track of the event changes; part of
    # every cache key of the programme and its exports (see events/cache.py).
    programme_version = models.PositiveIntegerField(default=0, editable=False)
    resources_intro = models.TextField(
        "resources introduction",
        blank=True,
        help_text="Markdown. Shown above recordings and slides.",
    )
    is_example_data = models.BooleanField(
        "example data",
        default=False,
        help_text="Parts of this event are invented for demonstration; pages say so.",
    )
    contact_email = models.EmailField(
        "contact email address",
        blank=True,
        help_text="Shown to attendees on the event's pages, its privacy notice and "
        "accessibility statement.",
    )
    privacy_notice = models.TextField(
        blank=True,
        help_text="Markdown. Leave empty to show Convene's standard privacy notice.",
    )
    accessibility_statement = models.TextField(
        blank=True,
        help_text="Markdown. Leave empty to show Convene's standard accessibility statement.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Addresses under /orga/ that are not events (events/urls.py): no event may take them.
    RESERVED_SLUGS = frozenset({"new", "event-creators"})

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"event": self.slug})

    def clean(self) -> None:
        # Bounded so that every session time converts to any zone (events/dates.py).
        errors = event_dates_errors(self.start_date, self.end_date)
        if self.slug in self.RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is a word the organiser area uses: choose another"
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def hashtag_list(self) -> list[str]:
        return split_hashtags(self.hashtags)


class EventRole(models.Model):
    """What a person may do for one event, beyond what anyone may."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", "Organiser"
        HOST = "host", "Host"
        REVIEWER = "reviewer", "Reviewer"
        JUDGE = "judge", "Judge"

    # What each role lets its holder do, as the team page and invitation emails say
    # it. A new role is a new `Role` choice and its line here (the team page,
    # invitations and rules read both).
    DESCRIPTIONS = {
        Role.ORGANISER: "Runs the event: its programme, registrations, team and settings.",
        Role.HOST: "Hosts sessions. Sees the event and its programme before they are public.",
        Role.REVIEWER: "Reviews proposals from the open call. Sees the event before it is public.",
        Role.JUDGE: "Judges award entries. Sees the event before it is public.",
    }

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "role"], name="one_role_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.event}"


class _EventNamedList(models.Model):
    """A name in an event's ordered list (its rooms, its tracks): unique in the event.

    Each subclass declares `event` itself, with its own related name."""

    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="unique_%(class)s_name_per_event"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Room(_EventNamedList):
    """Where a session runs: a stage, a call, a channel. One session at a time each.

    Not a track: a track is a theme sessions share (docs/decisions/0015).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")


class Track(_EventNamedList):
    """A theme sessions share, across rooms (pretalx's and frab's track)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "Plenary"
        OPEN_CONVERSATION = "open_conversation", "Open Conversation"
        AWARD_SHOWCASE = "award_showcase", "Award showcase"
        WORKSHOP = "workshop", "Workshop"
        TWEET_CHAT = "tweet_chat", "Tweet chat"
        BREAK = "break", "Break"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    # Stable identity for calendars (iCalendar UID) and schedule exports (guid).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # iCalendar SEQUENCE: rises each time the time, place or status changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The guid the session had in an imported schedule file (pretalx/frab), so
    # importing the file again updates the session instead of adding a copy.
    # NULL (not "") means "not from a file", which the importer tells apart from a guid.
    source_guid = models.CharField(  # noqa: DJ001
        max_length=100, null=True, blank=True, editable=False
    )
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OPEN_CONVERSATION)
    summary = models.CharField(max_length=400, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    start = models.DateTimeField()
    end = models.DateTimeField()
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    # The session type an imported file named ("Talk"), given back by exports;
    # blank means the kind's label.
    type_name = models.CharField(
        "type in schedule files",
        max_length=100,
        blank=True,
        help_text="Leave empty to use the kind.",
    )
    do_not_record = models.BooleanField(
        "speakers asked not to be recorded",
        default=False,
        help_text="Recording teams read this from the schedule exports.",
    )
    join_url = models.URLField("join link", max_length=500, blank=True)
    join_provider = models.CharField(
        "join provider", max_length=60, blank=True, help_text='For example "Microsoft Teams".'
    )
    hashtags = models.CharField(max_length=300, blank=True)
    # Places that can be booked; empty means a drop-in session (event registration is enough).
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Leave empty for a drop-in session: anyone registered for the event may join.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    is_example_data = models.BooleanField("example data", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set by events.selectors.Programme on the sessions it lists.
    is_now: bool = False
    is_next: bool = False

    class Meta:
        ordering = ["start", "room__position", "track__position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_session_slug_per_event"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["event", "start"])]

    def __str__(self) -> str:
        return self.title

    # A change to any of these is a change calendar apps must pick up (SEQUENCE).
    CALENDAR_FIELDS = (
        "title", "summary", "description", "start", "end", "status", "join_url",
        "join_provider", "room_id", "track_id",
    )  # fmt: skip

    def save(self, *args, **kwargs) -> None:
        """Save, raising `sequence` when a calendar-visible field changed (RFC 5545 3.8.7.4)."""
        if self.pk is not None:
            before = type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS).first()
            if before and any(before[f] != getattr(self, f) for f in self.CALENDAR_FIELDS):
                self.sequence += 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:session", kwargs={"event": self.event.slug, "session": self.slug})

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "A session must end after it starts."})
        if self.start and self.end and self.event_id:
            window = session_window(self.event)
            if not (window.allows_start(self.start) and window.allows_end(self.end)):
                raise ValidationError({"start": window.message})
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            raise ValidationError({"track": "This track belongs to another event."})
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            raise ValidationError({"room": "This room belongs to another event."})

    KIND_TAG_COLOURS = {
        Kind.PLENARY: "blue",
        Kind.OPEN_CONVERSATION: "green",
        Kind.AWARD_SHOWCASE: "purple",
        Kind.WORKSHOP: "aqua-green",
        Kind.TWEET_CHAT: "orange",
        Kind.BREAK: "grey",
    }

    @property
    def kind_tag_class(self) -> str:
        return f"nhsuk-tag--{self.KIND_TAG_COLOURS.get(self.kind, 'grey')}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def hashtag_list(self) -> list[str]:
        return split_hashtags(self.hashtags)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Host(models.Model):
    """Someone who hosts a session: a user, or a named guest without an account."""

    class Role(models.TextChoices):
        HOST = "host", "Host"
        CO_HOST = "co_host", "Co-host"
        SPEAKER = "speaker", "Speaker"
        LIVED_EXPERIENCE_PARTNER = "lived_experience_partner", "Lived-experience partner"
        MODERATOR = "moderator", "Moderator"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="hosts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosting",
    )
    guest_name = models.CharField(
        "name", max_length=150, blank=True, help_text="For hosts without an account."
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.HOST)
    organisation = models.CharField(max_length=200, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    social_handle = models.CharField(max_length=60, blank=True, help_text="For example @SladenJoe")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""), name="host_has_a_name"
            ),
            # A person may hold several roles in a session (speaker and moderator),
            # each once; rules read them as a set (events.rules.session_host_roles).
            models.UniqueConstraint(
                fields=["session", "user", "role"], name="host_role_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if not self.user_id and not self.guest_name.strip():
            raise ValidationError("Choose a person or give the guest's name.")

    @property
    def display_name(self) -> str:
        if self.user_id and self.user.name:
            return self.user.name
        return self.guest_name or "Unnamed host"

    @property
    def display_organisation(self) -> str:
        if self.organisation:
            return self.organisation
        return self.user.organisation if self.user_id else ""


class HostInvitation(models.Model):
    """An emailed invitation to host a session; accepting links the person's account.

    The token is the secret in the emailed link. It can be accepted once, by a
    signed-in person whose account has the invited email address.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Host.Role.choices, default=Host.Role.HOST)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_host_invitations",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to host {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("events:host_invitation", kwargs={"token": self.token})

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class TeamInvitation(models.Model):
    """An emailed invitation to take a role in an event (events.EventRole).

    Accepting it gives the role, once, to a signed-in person whose account has
    the invited address (the host invitation's rule). The link's secret is not
    stored: it is signed from the row's id with `key` and SECRET_KEY
    (events/tokens.py), so neither the database alone nor the key alone makes a
    working link. An invitation is open until it is accepted or revoked; past
    `expires_at` its link is refused, and re-sending it starts a new period.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="team_invitations")
    # Lower-cased by events.services.team_invite (and checked here).
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=EventRole.Role.choices)
    key = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Emails sent for it: the first, then one per re-send (each its own outbox purpose).
    sends = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_team_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open invitation per address and role: a second one would send a
            # second link for the same thing. Accepted and revoked ones are history.
            models.UniqueConstraint(
                fields=["event", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_team_invitation",
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="team_invitation_email_lower"
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="team_invitation_accepted_or_revoked",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="team_invitation_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display().lower()}"

    def get_absolute_url(self) -> str:
        token = tokens.team_invitation_token(pk=self.pk, key=self.key)
        return reverse("events:team_invitation", kwargs={"token": token})

    @property
    def role_description(self) -> str:
        return EventRole.DESCRIPTIONS.get(self.role, "")

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return not self.is_accepted and self.expires_at <= timezone.now()


class ImportPreview(models.Model):
    """A schedule file uploaded for import, kept until its organiser confirms or cancels.

    The upload page shows what the import would do (interchange/plan.py); the file
    waits here, in the database every web worker shares, for the confirmation
    (interchange/previews.py). It belongs to one person and one event, and is
    refused when older than `interchange.previews.LIFETIME` or when the programme
    changed after it was made (`programme_key`, events/cache.py).
    """

    # Random, and useless to anyone but `user`; not a secret the log must hide.
    token = models.CharField(max_length=43, unique=True, editable=False)
    # None: the file is to create a new event (its conference block), under `new_slug`
    # ("" for the slug made from the file's acronym).
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, related_name="+")
    new_slug = models.SlugField(max_length=80, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    programme_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.filename} for {self.event or 'a new event'}"
