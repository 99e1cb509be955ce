"""Registration for events, booking of sessions with places, stars, attendance and
personal calendar links (emails go through core.outbox; organisers' messages to
registrants are the console's messages to groups, attendance/recipients.py).

A person's registration for an event counts only once confirmed: at once for
a signed-in person (their account's address is verified), after the emailed
link for everyone else. Sessions with a `capacity` need a booking as well;
drop-in sessions (no capacity) need only the registration.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from convene.events.models import Event, Session


class Registration(models.Model):
    """One person's registration for one event (one row per event and address)."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for email confirmation"
        CONFIRMED = "confirmed", "Registered"
        CANCELLED = "cancelled", "Cancelled"

    class HeardFrom(models.TextChoices):
        COLLEAGUE = "colleague", "A colleague"
        EMAIL = "email", "An email or newsletter"
        SOCIAL_MEDIA = "social_media", "Social media"
        WEBSITE = "website", "A website"
        EVENT = "event", "Another event"
        OTHER = "other", "Somewhere else"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Set once the address is confirmed (an account is made for it if needed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    email = models.EmailField("email address")
    name = models.CharField("full name", max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    job_role = models.CharField("role", max_length=200, blank=True)
    heard_from = models.CharField(
        "how did you hear about the event", max_length=20, choices=HeardFrom.choices, blank=True
    )
    access_needs = models.TextField(
        "access needs",
        blank=True,
        help_text="For example captions or a sign language interpreter. Only organisers see this.",
    )
    email_consent = models.BooleanField(
        "email me reminders before sessions and when recordings are available",
        default=False,
        help_text="You can stop these at any time. Emails about your registration come anyway.",
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNCONFIRMED)
    # Counts confirmation links sent: each is a separate email (purpose key).
    confirmation_requests = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email"),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="one_registration_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} for {self.event}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def display_name(self) -> str:
        """The person's name now: their profile's (people change it after registering),
        else the one they registered with; never their email address (select user)."""
        name = (self.user.name if self.user_id else "") or self.name
        return "" if name.strip().lower() == self.email.lower() else name


class Booking(models.Model):
    """A place (or a place in the queue) in a session that has a capacity."""

    class State(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings"
    )
    state = models.CharField(max_length=10, choices=State.choices)
    # When the person booked or joined the queue: the waiting list's order.
    queued_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="one_booking_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.registration} – {self.session} ({self.get_state_display()})"


class Star(models.Model):
    """A session a person marked to keep in their agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="one_star_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.session}"


class Attendance(models.Model):
    """Someone joined a session (through the join link, the live room, or an organiser)."""

    class Source(models.TextChoices):
        JOIN_LINK = "join_link", "Followed the join link"
        LIVE_ROOM = "live_room", "Entered the live room"
        ORGANISER = "organiser", "Marked by an organiser"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} joined {self.session}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarLink(models.Model):
    """The secret in a person's personal calendar feed URL; replacing it revokes the old URL.

    Stored as is (not hashed) because the agenda page shows the URL again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar link of {self.user}"
