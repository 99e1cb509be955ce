"""The secret in a team invitation's link (events.TeamInvitation), signed, not stored.

A leaf module (it imports no model): the model builds its link with it, the
email builder sends that link, and the view reads the id back from it.

The token is `<id>.<signature>`: the invitation's id signed with SECRET_KEY and
the invitation's own random `key` (Django's signing, so SECRET_KEY_FALLBACKS
keep old links working while a key is rotated). The database holds the key but
not the signature, so a copy of the database alone makes no working link; a
leaked SECRET_KEY alone does not either. The link keeps working as long as the
invitation is open, so a re-sent email carries the same link.
"""

from django.core import signing

SALT = "convene.events.team_invitation"


def _signer(key: str) -> signing.Signer:
    return signing.Signer(salt=f"{SALT}:{key}", sep=".")


def team_invitation_token(*, pk: int, key: str) -> str:
    return _signer(key).sign(str(pk))


def team_invitation_id(token: str) -> int | None:
    """The invitation id a token names, unchecked (None when it names none)."""
    value, _, signature = token.partition(".")
    # At most 18 digits: any bigger number is no row id (and would overflow a bigint).
    if value.isascii() and value.isdigit() and len(value) <= 18 and signature:
        return int(value)
    return None


def team_invitation_token_valid(token: str, *, pk: int, key: str) -> bool:
    """The token was signed for this invitation (by SECRET_KEY or a fallback)."""
    try:
        return _signer(key).unsign(token) == str(pk)
    except signing.BadSignature:
        return False
