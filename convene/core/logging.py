"""Logging that keeps secrets out of the log and refusals short (decision 0011).

Several links carry the secret that authorises them: password-reset and
email-confirmation keys, registration confirmation and unsubscribe tokens,
calendar-feed tokens, host and team invitations. Anyone who can read the log could
use them, so every line that names such a path says `[redacted]` instead.
tests/core/test_logging.py walks the URL patterns so a new one cannot be missed.
"""

import logging
import logging.config
import re

REDACTED = "[redacted]"

# The path prefixes whose next segment is a secret, as the URL patterns spell them.
_SECRET_SEGMENT = re.compile(
    r"(?P<prefix>/accounts/confirm-email/"
    r"|/accounts/password/reset/key/(?!done/)"
    r"|/register/confirm/"
    r"|/unsubscribe/"
    r"|/host-invitations/"
    r"|/team-invitations/"
    r"|/my/calendar/)"
    r"[^/?#\s\"]+"
)
# Query values that are secrets wherever they appear (allauth's login codes, ...).
_SECRET_QUERY = re.compile(r"(?P<prefix>[?&](?:code|key|token|secret|password)=)[^&#\s\"]+")


def redact(text: str) -> str:
    """`text` with every secret a URL in it carries replaced by [redacted]."""
    if "/" not in text and "=" not in text:
        return text
    text = _SECRET_SEGMENT.sub(rf"\g<prefix>{REDACTED}", text)
    return _SECRET_QUERY.sub(rf"\g<prefix>{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Redact the message and its arguments; the arguments keep their places, so
    a formatter that reads them (uvicorn's access log) still works."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


class ClientErrorsOnOneLine(logging.Filter):
    """A refused request (a 4xx: PermissionDenied, SuspiciousOperation) loses its
    traceback: Django attaches one, 30 lines that say nothing an operator can act
    on, and a client can produce as many as it likes. A 500 keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


_ACCESS_LOG_REDACTION = RedactSecrets()


def configure(config: dict) -> None:
    """Django's LOGGING_CONFIG: apply LOGGING, then redact uvicorn's access log.

    uvicorn sets up its access logger, with its own handler, before it imports the
    application (and so Django); naming that logger in LOGGING would replace the
    handler and undo `--no-access-log` and `--log-level`. A filter on the logger
    itself keeps all of that.
    """
    logging.config.dictConfig(config)
    logging.getLogger("uvicorn.access").addFilter(_ACCESS_LOG_REDACTION)
