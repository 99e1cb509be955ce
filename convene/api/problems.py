"""Errors as RFC 9457 problem details (application/problem+json), never a 500 page.

Every refusal of the API is a JSON object with `type`, `title`, `status` and
`detail`, plus `code` (a stable machine-readable name) and, for bad input,
`errors` (one entry per field). Handlers are registered on the NinjaAPI.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from convene.contributions.services import RateLimitedError
from convene.core.problem_details import CONTENT_TYPE, problem

logger = logging.getLogger(__name__)
__all__ = ["CONTENT_TYPE", "ProblemError", "install", "problem"]


class ProblemError(Exception):
    """Raised by endpoints for a refusal with its own status and code."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


_LOCATIONS = {"body", "payload", "query", "path"}


def _schema_errors(exc: SchemaValidationError) -> list[dict]:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in _LOCATIONS]
        errors.append({"field": ".".join(location), "message": error.get("msg", "Invalid.")})
    return errors


def _django_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in exc.messages]


def install(api: NinjaAPI) -> None:
    """Register the handlers (replacing ninja's, which answer 500 pages outside DEBUG)."""

    @api.exception_handler(ProblemError)
    def _problem(request: HttpRequest, exc: ProblemError):
        return problem(exc.status, exc.code, exc.detail)

    @api.exception_handler(SchemaValidationError)
    def _schema(request: HttpRequest, exc: SchemaValidationError):
        errors = _schema_errors(exc)
        return problem(422, "invalid", "The request has invalid values.", errors=errors)

    @api.exception_handler(RateLimitedError)
    def _rate(request: HttpRequest, exc: RateLimitedError):
        return problem(429, "rate_limited", " ".join(exc.messages))

    @api.exception_handler(DjangoValidationError)
    def _invalid(request: HttpRequest, exc: DjangoValidationError):
        errors = _django_errors(exc)
        detail = " ".join(e["message"] for e in errors) or "The request has invalid values."
        return problem(422, "invalid", detail, errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return problem(401, "unauthenticated", "Sign in first: writes use your signed-in session.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError):
        code = "csrf_failed" if "CSRF" in str(exc) else HTTPStatus(exc.status_code).name.lower()
        return problem(exc.status_code, code, str(exc))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied):
        return problem(403, "forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        return problem(404, "not_found", "There is nothing here, or you may not see it.")

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(RawPostDataException)
    def _unreadable(request: HttpRequest, exc: Exception):
        return problem(
            400,
            "unreadable_body",
            "The request body could not be read. Send JSON with Content-Type: application/json.",
        )

    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def _bad_request(request: HttpRequest, exc: Exception):
        # Too many fields, a body over the size limit, a malformed request.
        return problem(400, "bad_request", "The request could not be understood.")

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception):
        logger.exception("API error on %s", request.path)
        return problem(500, "server_error", "Something went wrong on our side.")
