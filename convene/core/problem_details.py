"""RFC 9457 problem details (application/problem+json): the API's one shape of refusal.

In core so that the refusal middleware, which answers before any view, gives
/api/ addresses the same shape as the API's own handlers (api/problems.py).
"""

from http import HTTPStatus

from django.http import JsonResponse

CONTENT_TYPE = "application/problem+json"
# The API takes JSON only: its 415 for any other body, from the API or the middleware.
JSON_ONLY_DETAIL = "Send JSON, with Content-Type: application/json."


def problem(status: int, code: str, detail: str, **extra: object) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)
