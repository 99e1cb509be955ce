"""Absolute addresses of the site's own pages, for whatever leaves the site.

Every absolute URL (emails, calendar files, schedule exports, the API,
allauth's emails) is built here from `settings.SITE_URL`, never from the
request: a worker has no request, and a link must not depend on the address
one visitor happened to use (decision 0014).
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (starting "/") on the site's public address."""
    return f"{settings.SITE_URL}{path}"
