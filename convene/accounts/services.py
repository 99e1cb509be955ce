"""Changes to a person's own account: profile and erasure."""

import uuid
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from convene.accounts import extensions
from convene.accounts.models import User

PROFILE_FIELDS = frozenset(
    {
        "name",
        "pronouns",
        "organisation",
        "job_role",
        "lived_experience_partner",
        "accessibility_needs",
    }
)

ERASED_HOST_NAME = "Former host"


@transaction.atomic
def user_update_profile(*, user: User, **fields: Any) -> User:
    """Save profile fields.

    Side effects: the fields are validated with the model's rules
    (`ValidationError` if bad, nothing saved), then one UPDATE of the user row.
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase a person's personal data but keep what they contributed, anonymised.

    Side effects, in order:
    0. every app's own part is erased first (accounts.extensions: e.g.
       registrations, bookings, stars and calendar links in attendance);
    1. their event roles are removed (they no longer organise, host, judge ...);
    2. host entries they held become guest entries named "Former host", with
       organisation, bio and handle cleared, so the programme stays truthful;
    3. their email addresses (allauth, with pending confirmations) are deleted;
    4. the account row is kept (content that points at it stays) but every
       personal field is blanked, the email replaced by a random unusable
       address, groups and permissions removed, the password made unusable
       (which also ends every session signed in elsewhere) and the account
       deactivated.
    """
    for part in extensions.parts():
        part.erase(user)
    user.event_roles.all().delete()
    user.hosting.update(
        user=None, guest_name=ERASED_HOST_NAME, bio="", social_handle="", organisation=""
    )
    EmailAddress.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"erased-{uuid.uuid4().hex}@invalid"
    user.name = ""
    user.pronouns = ""
    user.organisation = ""
    user.job_role = ""
    user.lived_experience_partner = False
    user.accessibility_needs = ""
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
