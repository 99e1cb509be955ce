"""Changes to a person's own account: profile, data export, erasure."""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from convene.accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, **fields: Any) -> User:
    """Save profile fields. Side effects: one UPDATE of the user row."""
    allowed = {"name", "pronouns", "organisation", "job_role", "lived_experience_partner",
               "accessibility_needs"}  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean()
    user.save(update_fields=[*fields.keys()])
    return user


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything Convene holds about a person, as plain JSON-able data.

    Each app that stores personal data adds its part here (through its selectors).
    """
    from allauth.account.models import EmailAddress

    return {
        "format": "convene-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "pronouns": user.pronouns,
            "organisation": user.organisation,
            "job_role": user.job_role,
            "lived_experience_partner": user.lived_experience_partner,
            "accessibility_needs": user.accessibility_needs,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "event_roles": [
            {"event": r.event.title, "event_slug": r.event.slug, "role": r.role}
            for r in user.event_roles.select_related("event").order_by("event__slug", "role")
        ],
        "hosting": [
            {
                "event_slug": h.session.event.slug,
                "session": h.session.title,
                "role": h.role,
                "bio": h.bio,
                "social_handle": h.social_handle,
            }
            for h in user.hosting.select_related("session__event").order_by("session__start")
        ],
    }


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase a person's personal data but keep what they contributed, anonymised.

    Side effects, in order:
    1. their event roles are removed (they no longer organise, judge ...);
    2. host entries they held become guest entries named "Former host", with
       bio and handle cleared, so the programme stays truthful;
    3. their email addresses (allauth) and sessions' sign-in are removed;
    4. the account row is kept (content that points at it stays) but every
       personal field is blanked, the email replaced by a random unusable
       address, the password made unusable and the account deactivated.
    """
    from allauth.account.models import EmailAddress

    user.event_roles.all().delete()
    user.hosting.update(
        user=None, guest_name="Former host", bio="", social_handle="", organisation=""
    )
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{uuid.uuid4().hex}@invalid"
    user.name = ""
    user.pronouns = ""
    user.organisation = ""
    user.job_role = ""
    user.lived_experience_partner = False
    user.accessibility_needs = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
