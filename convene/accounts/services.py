"""Changes to a person's own account: profile, erasure, and who owns an address; and
the one a superuser makes to someone else's: whether they may create events."""

import uuid
from typing import Any, cast

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from convene.accounts import extensions
from convene.accounts.models import User
from convene.core import audit

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
       address, groups, permissions and the right to create events removed, the
       password made unusable
       (which also ends every session signed in elsewhere) and the account
       deactivated.
    """
    for part in extensions.parts():
        part.erase(user)
    user.event_roles.all().delete()
    # Saved one by one (a person hosts a few sessions): the programme's signals see
    # each change, so cached programme pages and exports drop the name at once.
    for host in user.hosting.all():
        host.user, host.guest_name = None, ERASED_HOST_NAME
        host.bio = host.social_handle = host.organisation = ""
        host.save(update_fields=["user", "guest_name", "bio", "social_handle", "organisation"])
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
    user.can_create_events = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()


@transaction.atomic
def email_address_prove(*, email: str, name: str = "") -> User:
    """The owner of the mailbox `email` proved it (they used a link sent there):
    return the account that owns the address now, with the address verified on it.

    Which account, and the side effects, in order:
    1. an account on which the address is already verified: kept as it is;
    2. otherwise the account whose email it is, when an operator made it (staff,
       or no allauth address rows: the admin, createsuperuser, the demo): kept;
    3. otherwise the account whose email it is, made by a self-service sign-up
       nobody confirmed. Whoever signed up need not own the mailbox, and the
       mailbox owner wins (docs/decisions/0010): the account is taken over. Its
       password becomes unusable, which also ends every session signed in with
       it (Django checks each session against the password hash), its other
       addresses are deleted and its profile blanked (the name becomes `name`);
       if the account has a verified address of its own, it keeps that and gives
       this one up instead, and a new account is made as in 4;
    4. otherwise a new account without a password, named `name`;
    then 5. unverified claims of the address on any other account are deleted;
    6. the address is verified on the account (primary when it is the account's
       email).
    """
    email = email.strip().lower()
    proven = EmailAddress.objects.filter(email__iexact=email, verified=True).first()
    user = proven.user if proven is not None else _account_with_email(email, name=name)
    EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user=user).delete()
    if proven is None:
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=email,
            defaults={"email": email, "verified": True, "primary": user.email == email},
        )
    return user


def _account_with_email(email: str, *, name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        addresses = EmailAddress.objects.filter(user=user)
        if user.is_staff or not addresses.exists():
            return user
        verified = addresses.filter(verified=True).order_by("-primary").first()
        if verified is None:
            _take_over(user, email=email, name=name)
            return user
        verified.set_as_primary()  # the account's email becomes its own verified one
    user = User.objects.create_user(email=email, name=name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _take_over(user: User, *, email: str, name: str) -> None:
    """Hand an account nobody verified to the mailbox owner of its address:
    nothing the stranger set survives (password, sessions, addresses, profile)."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    for field in PROFILE_FIELDS:
        # Profile fields are the model's own columns, never relations.
        setattr(user, field, cast(Field, User._meta.get_field(field)).get_default())
    user.name = name
    user.email = email
    user.set_unusable_password()
    user.save()


@transaction.atomic
def user_event_creation_set(*, user: User, allowed: bool, by: User | None) -> User:
    """Allow `user` to create events, or withdraw it (a superuser's choice,
    docs/decisions/0025). Side effects, when the answer changes (nothing otherwise):
    1. one UPDATE of the user's `can_create_events`;
    2. the audit log records it, site-wide (no event), naming the person.

    Events they already organise stay theirs; superusers may always create events,
    whatever this says.
    """
    if user.can_create_events == allowed:
        return user
    user.can_create_events = allowed
    user.save(update_fields=["can_create_events"])
    audit.audit_record(
        actor=by,
        action=(
            "accounts.event_creation_allowed" if allowed else "accounts.event_creation_withdrawn"
        ),
        obj=user,
        event_id=None,
        data={"can_create_events": [not allowed, allowed]},
    )
    return user
