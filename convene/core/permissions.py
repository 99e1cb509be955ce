"""Helpers that apply a named `rules` permission inside a view."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404


def require_or_404(
    user: AbstractBaseUser | AnonymousUser, perm: str, obj: object | None = None
) -> None:
    """Refuse with a 404 (not 403) so drafts and private things do not reveal they exist."""
    if not user.has_perm(perm, obj):
        raise Http404
