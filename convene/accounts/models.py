"""People: the user account and the profile fields that belong to a person."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address.

    Everything here except `name` is private to the person (and organisers
    of events they take part in, where the event's pages say so).
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    job_role = models.CharField("job role", max_length=200, blank=True)
    lived_experience_partner = models.BooleanField(
        "lived-experience partner",
        default=False,
        help_text="You take part as a patient, carer or person with lived experience.",
    )
    pronouns = models.CharField(max_length=40, blank=True)
    accessibility_needs = models.TextField(
        "accessibility needs",
        blank=True,
        help_text="Private. Shown only to organisers of events you register for.",
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by a superuser on the organiser area's "Who may create events" page
    # (docs/decisions/0025); superusers may always create events.
    can_create_events = models.BooleanField(
        "can create events",
        default=False,
        help_text="May create new events in the organiser area (and becomes their organiser).",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email
