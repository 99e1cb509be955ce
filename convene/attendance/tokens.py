"""The signed links in attendance emails: confirm a registration, unsubscribe.

A leaf module (models only): the emails build these links and the views read
them back, and neither needs the services that send the emails.
"""

from django.core import signing
from django.core.exceptions import ValidationError

from convene.attendance.models import Registration

CONFIRM_SALT = "convene.attendance.confirm"
# A confirmation link confirms for three days, but signs the person in only
# within its first hour, and only the first time (docs/decisions/0010).
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3
SIGN_IN_MAX_AGE = 60 * 60


def confirmation_token(registration: Registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "n": registration.confirmation_requests}, salt=CONFIRM_SALT
    )


def registration_from_token(token: str) -> tuple[Registration, bool]:
    """The registration a confirmation link names, and whether the link is fresh
    enough to sign someone in (SIGN_IN_MAX_AGE). ValidationError when the link is
    bad, expired, or replaced by a newer one (each request sends a new link: only
    the latest confirms)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("This link has expired. Register again to get a new one.") from None
    except signing.BadSignature:
        raise ValidationError("This link is not valid. Check you copied all of it.") from None
    try:
        signing.loads(token, salt=CONFIRM_SALT, max_age=SIGN_IN_MAX_AGE)
    except signing.SignatureExpired:
        fresh = False
    else:
        fresh = True
    registration = Registration.objects.select_related("event").filter(pk=data.get("r")).first()
    if registration is None or registration.state == Registration.State.CANCELLED:
        raise ValidationError("This registration no longer exists. Register again.")
    if not registration.is_confirmed and data.get("n") != registration.confirmation_requests:
        raise ValidationError(
            "We have sent you a newer link since this one: use the link in the latest email."
        )
    return registration, fresh


def unsubscribe_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt="convene.attendance.unsubscribe", compress=True)


def registration_from_unsubscribe_token(token: str) -> Registration:
    try:
        pk = signing.loads(token, salt="convene.attendance.unsubscribe")
    except signing.BadSignature:
        raise ValidationError("This unsubscribe link is not valid.") from None
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None:
        raise ValidationError("This unsubscribe link is not valid.")
    return registration
