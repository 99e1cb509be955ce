"""One extension convention: hook points, and each app's `hooks.py` that plugs into them.

Lower apps must not import the apps above them (docs/architecture.md), yet their
pages show what feature apps add: the registration panel on a session page, the
"Registrations" entry of the organiser navigation, a person's chat messages in
"download my data", the "Save as top tip" button on a chat message, the demo's
example boards. Every one of those goes through the same two pieces:

1. **A hook point**, declared by the app that offers it, in its `extensions`
   module next to the type of what it accepts:

       # convene/events/extensions.py
       PAGES: Hook[PageExtension] = Hook("events.pages", key=type)

2. **A `hooks.py`** in the app that plugs in: module-level calls, nothing else.

       # convene/attendance/hooks.py
       from convene.events.extensions import PAGES
       PAGES.register(AttendanceExtension())

`CoreConfig.ready()` imports every installed app's `hooks` module, in
`INSTALLED_APPS` order (Django's `autodiscover_modules`, as the admin finds
`admin.py`), so registration order, and so the order things appear on a page,
is the order of `INSTALLED_APPS`. No other module registers anything, and no
`AppConfig.ready()` does (tests/test_app_map.py checks both).

Registering a value whose key is already there replaces it in place, so an
import that runs twice adds nothing; a hook point declared `unique=True` (email
kinds, say, where two apps claiming one kind is a mistake) instead refuses a
different value for a key it has. Tests change a hook point for the length
of a block with `added(...)` or `replaced([...])`.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

#: Every hook point, by name (for the docs and the app-map test).
POINTS: dict[str, "Hook"] = {}


class Hook[T]:
    """A named, ordered list of what apps plug in here (see the module docstring)."""

    def __init__(
        self, name: str, *, key: Callable[[T], Hashable] | None = None, unique: bool = False
    ) -> None:
        if name in POINTS:
            raise ImproperlyConfigured(f"There is already a hook point named {name!r}.")
        self.name = name
        self.unique = unique
        self._key = key or (lambda value: value)
        self._values: list[T] = []
        POINTS[name] = self

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._values)} registered>"

    def register(self, value: T) -> T:
        """Add `value` at the end, or in place of the value with the same key."""
        key = self._key(value)
        for index, existing in enumerate(self._values):
            if self._key(existing) == key:
                if self.unique and existing != value:
                    raise ImproperlyConfigured(
                        f"Two different values for {key!r} in the hook point {self.name!r}."
                    )
                self._values[index] = value
                return value
        self._values.append(value)
        return value

    def all(self) -> list[T]:
        return list(self._values)

    def get(self, key: Hashable) -> T | None:
        return next((v for v in self._values if self._key(v) == key), None)

    @contextmanager
    def replaced(self, values: list[T]) -> Iterator[None]:
        """For tests: exactly `values` are registered inside the block."""
        saved = self._values
        self._values = []
        try:
            for value in values:
                self.register(value)
            yield
        finally:
            self._values = saved

    @contextmanager
    def added(self, *values: T) -> Iterator[None]:
        """For tests: `values` are registered too (last) inside the block."""
        with self.replaced([*self._values, *values]):
            yield


def autodiscover() -> None:
    """Import every installed app's `hooks` module (once; CoreConfig.ready)."""
    autodiscover_modules("hooks")
