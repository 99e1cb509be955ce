"""Reads about a person's own account, and who may create events."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.utils import timezone

from convene.accounts import extensions
from convene.accounts.models import User

EXPORT_FORMAT = "convene-personal-data/1"


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything Convene holds about a person, as plain JSON-able data.

    The view turns it into a download; this function only gathers. Apps that
    store more personal data add their part through accounts.extensions. Four queries:
    email addresses, event roles, hosting (and the user row already loaded).
    """
    data = {
        "format": EXPORT_FORMAT,
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
                "session_slug": h.session.slug,
                "role": h.role,
                "organisation": h.organisation,
                "bio": h.bio,
                "social_handle": h.social_handle,
            }
            for h in user.hosting.select_related("session__event").order_by(
                "session__start", "session__slug"
            )
        ],
    }
    for part in extensions.parts():
        data[part.key] = part.export(user)
    return data


def owns_email_address(user: User, email: str) -> bool:
    """Whether the mailbox `email` is the person's: the address is verified on
    their account, or it is the email of an account an operator made (no allauth
    address rows: the admin, createsuperuser, the demo). An unconfirmed sign-up
    with the address does not count: anyone can sign up with any address.

    What accepting an emailed invitation (to host, to join an event's team) asks."""
    if not user.is_authenticated:
        return False
    addresses = EmailAddress.objects.filter(user=user)
    if addresses.filter(email__iexact=email, verified=True).exists():
        return True
    return user.email.lower() == email.lower() and not addresses.exists()


def event_creators() -> QuerySet[User]:
    """Active people a superuser allowed to create events, by name then address (one query)."""
    return User.objects.filter(can_create_events=True, is_active=True).order_by("name", "email")


def site_administrators() -> QuerySet[User]:
    """Active superusers, who may always create events (one query)."""
    return User.objects.filter(is_superuser=True, is_active=True).order_by("name", "email")


PEOPLE_SEARCH_LIMIT = 20


def people_to_allow(*, query: str) -> list[User]:
    """Up to `PEOPLE_SEARCH_LIMIT` active people whose name or email address contains
    `query` and who may not create events yet (one query; none for an empty query)."""
    query = query.strip()
    if not query:
        return []
    return list(
        User.objects.filter(Q(name__icontains=query) | Q(email__icontains=query))
        .filter(is_active=True, can_create_events=False, is_superuser=False)
        .order_by("name", "email")[:PEOPLE_SEARCH_LIMIT]
    )
