"""The one permission and refusal layer for views (docs/decisions/0018-one-refusal-policy.md).

A view names its `rules` permission and how to load the thing it is about:

    @rule_required("events.change_event", load=event_for_organisers)
    def grid(request, event): ...

`load(request, **url_arguments)` takes the URL arguments it names and returns the
thing, or raises Http404 when the person may not know it exists (a draft, an
unpublished programme, a mistyped address). The view receives the thing in their
place, with the other URL arguments. Then the answer to a person without the right:

- anonymous: sent to sign in (the thing's existence is public, they may have the right);
- signed in: 403, the 403.html page (or `refusal(request, thing)`, a 403 page that
  says what to do, such as registering first).
"""

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse


def require_or_404(
    user: AbstractBaseUser | AnonymousUser, perm: str, obj: object | None = None
) -> None:
    """Refuse with a 404 (not 403) so drafts and private things do not reveal they exist."""
    if not user.has_perm(perm, obj):
        raise Http404


def refuse(
    request: HttpRequest,
    thing: object = None,
    refusal: Callable[[HttpRequest, Any], HttpResponse] | None = None,
) -> HttpResponse:
    """The answer to someone without the right to something whose existence is public."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if refusal is not None:
        return refusal(request, thing)
    raise PermissionDenied


def rule_required(
    perm: str,
    *,
    load: Callable[..., Any],
    on: Callable[[Any], object] | None = None,
    refusal: Callable[[HttpRequest, Any], HttpResponse] | None = None,
) -> Callable[[Callable], Callable]:
    """Load the view's thing (404 if private), then apply `perm` to it (or to `on(thing)`).

    The rule itself is asked (`rules.has_perm`), not `user.has_perm`, which lets
    every superuser through: rules that include superusers say so."""
    names = list(inspect.signature(load).parameters)[1:]  # after `request`

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            thing = load(request, **{name: kwargs.pop(name) for name in names if name in kwargs})
            if not rules.has_perm(perm, request.user, on(thing) if on else thing):
                return refuse(request, thing, refusal)
            return view(request, thing, *args, **kwargs)

        wrapper.permission_required = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator
