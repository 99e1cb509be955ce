"""Refuse what no view can read, in one place: NUL characters and unreadable forms.

PostgreSQL cannot store or even compare a string with a NUL (U+0000) in it:
psycopg raises ValueError, so a `%00` in a token, a slug or a query value used in
a filter was a 500. No real address, form or JSON body needs one, so they are
refused before any view runs: a 400 page, or problem+json under /api/
(docs/decisions/0013-nul-bytes-and-join-by-post.md).

A multipart form whose Content-Type has no valid boundary cannot be parsed:
Django raises MultiPartParserError (a 500) wherever the body is first read,
which may be the CSRF check of the 404 page. It is refused here too, as the
bad request it is.
"""

import json
from collections.abc import Iterable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, RawPostDataException
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render

from convene.core.problem_details import JSON_ONLY_DETAIL, problem

NUL = "\x00"
DETAIL = (
    "The address or the form contains a NUL character (%00), which Convene never uses. "
    "Check the link or what you typed, and try again."
)


def _strings(value: object) -> Iterable[str]:
    """Every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)


def _body_strings(request: HttpRequest) -> Iterable[str]:
    """Form (URL-encoded) and JSON body values. Multipart bodies are left to the
    forms (CharField refuses NUL); a body that cannot be read or parsed here is
    left to the view, which answers it as before."""
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            for key, values in request.POST.lists():
                yield key
                yield from values
        elif request.content_type == "application/json":
            yield from _strings(json.loads(request.body))
    except (ValueError, SuspiciousOperation, RequestDataTooBig, RawPostDataException):
        return


BAD_FORM = (
    "The form could not be read: it was sent as multipart/form-data without a valid "
    "boundary. Send it again from the page, or check the tool that sent it."
)


def unreadable_form(request: HttpRequest) -> bool:
    """A multipart body Django's parser would refuse for its boundary."""
    if request.content_type != "multipart/form-data":
        return False
    boundary = request.content_params.get("boundary", "")
    return not MultiPartParser.boundary_re.fullmatch(boundary)


def has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    return any(NUL in value for value in _body_strings(request))


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The 400 for a request no view could read, or None when it is readable."""
    if unreadable_form(request):
        code, title, detail = "unreadable_form", "The form could not be read", BAD_FORM
    elif has_nul(request):
        code, title, detail = "nul_character", "There is a problem with the address", DETAIL
    else:
        return None
    if request.path.startswith("/api/"):
        if code == "unreadable_form":  # the API takes JSON only: its usual answer
            return problem(415, "unsupported_media_type", JSON_ONLY_DETAIL)
        return problem(400, code, detail)
    context = {"title": title, "detail": detail}
    return render(request, "core/nul_refused.html", context, status=400)


class RefuseNulMiddleware:
    """Early in MIDDLEWARE (after the CSP header, before sessions and views)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return refusal(request) or self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        return refusal(request) or await self.get_response(request)
