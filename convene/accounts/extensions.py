"""Where other apps add what they hold about a person.

"Download my data" and "delete my account" must cover every app, but
`accounts` may import no feature app. So each app that stores personal data
registers a `PersonalData` in its AppConfig.ready(): a key for its part of the
export, a function that gathers it, and a function that erases it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
