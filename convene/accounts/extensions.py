"""Hook points of the accounts app: what other apps hold about a person.

"Download my data" and "delete my account" must cover every app, but
`accounts` may import no feature app. So each app that stores personal data
registers a `PersonalData` in `PERSONAL_DATA` from its `hooks.py` (the one
extension convention, core/hooks.py): a key for its part of the export, a
function that gathers it, and a function that erases it.

The profile page shows what apps hold for the person to change (for example
their email choices per event) the same way: an app registers a
`ProfileSection` in `PROFILE_SECTIONS` whose `render(request)` returns HTML (a
rendered template, with its own <h2>) or "" when it has nothing for this person.

Both are used in key order, so the export and the page do not depend on the
order apps are installed in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from convene.accounts.models import User
from convene.core.hooks import Hook


@dataclass(frozen=True)
class PersonalData:
    key: str
    export: Callable[[User], Any]
    erase: Callable[[User], None]


PERSONAL_DATA: Hook[PersonalData] = Hook(
    "accounts.personal_data", key=lambda part: part.key, unique=True
)


def parts() -> list[PersonalData]:
    return sorted(PERSONAL_DATA.all(), key=lambda part: part.key)


@dataclass(frozen=True)
class ProfileSection:
    key: str
    render: Callable[[HttpRequest], str]


PROFILE_SECTIONS: Hook[ProfileSection] = Hook(
    "accounts.profile_sections", key=lambda section: section.key, unique=True
)


def profile_sections(request: HttpRequest) -> list[str]:
    """Each app's HTML for this person's profile, in key order (empty ones left out)."""
    sections = sorted(PROFILE_SECTIONS.all(), key=lambda section: section.key)
    return [html for section in sections if (html := section.render(request))]
