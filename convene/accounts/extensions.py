"""Where other apps add what they hold about a person.

"Download my data" and "delete my account" must cover every app, but
`accounts` may import no feature app. So each app that stores personal data
registers a `PersonalData` in its AppConfig.ready(): a key for its part of the
export, a function that gathers it, and a function that erases it.

The profile page shows what apps hold for the person to change (for example
their email choices per event) the same way: an app registers a
`ProfileSection` whose `render(request)` returns HTML (a rendered template,
with its own <h2>) or "" when it has nothing for this person.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from convene.accounts.models import User


@dataclass(frozen=True)
class PersonalData:
    key: str
    export: Callable[[User], Any]
    erase: Callable[[User], None]


_registry: dict[str, PersonalData] = {}


def register(part: PersonalData) -> None:
    """Add (or replace, by key) an app's part of a person's data."""
    _registry[part.key] = part


def parts() -> list[PersonalData]:
    return [_registry[key] for key in sorted(_registry)]


@dataclass(frozen=True)
class ProfileSection:
    key: str
    render: Callable[[HttpRequest], str]


_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> None:
    """Add (or replace, by key) an app's section of the profile page."""
    _sections[section.key] = section


def profile_sections(request: HttpRequest) -> list[str]:
    """Each app's HTML for this person's profile, in key order (empty ones left out)."""
    return [html for key in sorted(_sections) if (html := _sections[key].render(request))]
