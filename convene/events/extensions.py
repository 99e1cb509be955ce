"""Hook points of the events app: what feature apps add to its pages and tools.

docs/architecture.md lets feature apps (attendance, live, media ...) import events, never
the reverse. Each point below is a `core.hooks.Hook`; an app plugs in from its
own `hooks.py` (the one extension convention, core/hooks.py):

- `PAGES`: a `PageExtension` subclass instance (one per class) that adds HTML to
  event, session and programme pages, described below;
- `ORGANISER_NAV`: a `NavEntry` per page of the app in the organiser area, shown
  in its side navigation in `order` (events/orga/base.html);
- `DEMO_DATA`: a function `load(*, events)` run at the end of `manage.py
  load_demo`, in the same transaction, so the app adds its example data to the
  demo events;
- `EVENT_COPIED`: a function `copy(*, source, copy)` run when an organiser copies
  an event (`events.services.event_copy`), inside the copy's transaction, after
  events copied its own parts: the app copies its per-event settings (live's
  chat settings). It must not copy people's data (registrations, messages);
- `SETTINGS_SECTIONS`: a `SettingsSection(key, title, render)` shown on the
  organiser area's "Event settings" page: `render(request, event)` returns HTML
  (safe to insert) that shows the app's per-event settings and links to the page
  of the app where they are changed.

A feature app that has something to say on an event page
subclasses `PageExtension`, overrides the methods it needs, and registers one
instance in its `hooks.py`:

    from convene.events.extensions import PAGES
    PAGES.register(AttendanceExtension())

Events then renders, in registration order, what each extension returns:

- event page, under the summary: `event_actions(request, event)`
  (events/event.html);
- session page, in the "How to join" row: `session_join(request, session)`
  (events/session.html);
- session page, after the hosts: `session_sections(request, session)`, whole
  sections with their own <h2> (events/session.html);
- programme, under each session: `programme_session(request, session, state)`
  (the `{% programme_session_extras %}` tag in includes/session_summary.html);
- programme, once, outside the cached list: `programme_page(request, event, state)`
  (events/programme.html).

Each method returns HTML that is safe to insert (render a template) or "".
When no extension says anything about joining, the session page only says
that joining details go to registered people: public pages never contain a
join link, whoever asks.

The programme's list of sessions is a cached fragment that visitors share.
`programme_state(request, event)` returns a small hashable summary of what
this visitor would see (for example the ids of the sessions they starred); it
is part of the fragment's cache key and is handed back to `programme_session`,
so people with the same state share one copy and nobody sees another's.
Return None (the default) for anonymous visitors so they keep sharing one copy.
A form's CSRF token must never be inside the cached list (it is personal):
put the form in `programme_page` and give the buttons under each session
`form="<its id>"` and `formaction`, which HTML lets a button use from anywhere.

Anonymous visitors' event, session and programme pages are cached whole
(core.public_cache). `public_version(request, page, obj)` says what the HTML an
extension adds there for an anonymous visitor depends on: a `Freshness` with
the stamps of what it shows (in the event's scope, core.stamps) and the next
moment its clock changes it, or an empty `Freshness()` when it adds nothing or
only fixed links. `page` is "event" or "programme" (obj: the event) or
"session" (obj: the session). The default, None, means "cannot say": the
page is then not cached, so an extension that forgets is slow, never stale.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.http import HttpRequest

from convene.core.hooks import Hook
from convene.core.public_cache import Freshness
from convene.events.models import Event, Session


class PageExtension:
    """Override what you need; every method's default adds nothing."""

    #: Names the extension in programme state (and so in cache keys).
    name = "extension"

    def event_actions(self, request: HttpRequest, event: Event) -> str:
        return ""

    def session_join(self, request: HttpRequest, session: Session) -> str:
        return ""

    def session_sections(self, request: HttpRequest, session: Session) -> str:
        return ""

    def programme_state(self, request: HttpRequest, event: Event) -> Hashable:
        return None

    def programme_session(self, request: HttpRequest, session: Session, state: Hashable) -> str:
        return ""

    def programme_page(self, request: HttpRequest, event: Event, state: Hashable) -> str:
        return ""

    def public_version(
        self, request: HttpRequest, page: str, obj: Event | Session
    ) -> Freshness | None:
        return None


PAGES: Hook[PageExtension] = Hook("events.pages", key=type)


@dataclass(frozen=True)
class NavEntry:
    """One page in the organiser area's side navigation.

    `section` is what the page's template sets as `orga_section` (so the entry
    is marked as the current page); `url_name` is reversed with `event=<slug>`;
    `order` places it (events' own pages use 10–60)."""

    section: str
    label: str
    url_name: str
    order: int


ORGANISER_NAV: Hook[NavEntry] = Hook("events.organiser_nav", key=lambda e: e.section, unique=True)

DemoLoader = Callable[..., None]
DEMO_DATA: Hook[DemoLoader] = Hook(
    "events.demo_data", key=lambda load: f"{load.__module__}.{load.__qualname__}"
)


def organiser_nav() -> list[NavEntry]:
    return sorted(ORGANISER_NAV.all(), key=lambda entry: (entry.order, entry.label))


def event_actions(request: HttpRequest, event: Event) -> list[str]:
    return [html for e in PAGES.all() if (html := e.event_actions(request, event))]


def session_join(request: HttpRequest, session: Session) -> list[str]:
    return [html for e in PAGES.all() if (html := e.session_join(request, session))]


def session_sections(request: HttpRequest, session: Session) -> list[str]:
    return [html for e in PAGES.all() if (html := e.session_sections(request, session))]


def programme_states(request: HttpRequest, event: Event) -> dict[str, Hashable]:
    """Each extension's state for this visitor (only those that have one)."""
    states = {e.name: e.programme_state(request, event) for e in PAGES.all()}
    return {name: state for name, state in states.items() if state is not None}


def programme_cache_variant(states: dict[str, Hashable]) -> str:
    """The part of the programme's cache key that depends on the visitor."""
    return ";".join(f"{name}={states[name]!r}" for name in sorted(states))


def programme_session(
    request: HttpRequest, session: Session, states: dict[str, Hashable]
) -> list[str]:
    return [
        html
        for e in PAGES.all()
        if (html := e.programme_session(request, session, states.get(e.name)))
    ]


def programme_page(request: HttpRequest, event: Event, states: dict[str, Hashable]) -> list[str]:
    return [
        html for e in PAGES.all() if (html := e.programme_page(request, event, states.get(e.name)))
    ]


#: Called as `copy(source=<Event>, copy=<Event>)`; returns nothing. Keyed by its name.
EventCopied = Callable[..., None]
EVENT_COPIED: Hook[EventCopied] = Hook(
    "events.event_copied", key=lambda copy: f"{copy.__module__}.{copy.__qualname__}"
)


def event_copied(*, source: Event, copy: Event) -> None:
    """Let every app copy its own per-event settings from `source` to `copy`."""
    for copy_settings in EVENT_COPIED.all():
        copy_settings(source=source, copy=copy)


@dataclass(frozen=True)
class SettingsSection:
    """A part of the "Event settings" page that another app owns.

    `title` is the section's heading; `render(request, event)` its body (HTML safe
    to insert, "" to show nothing)."""

    key: str
    title: str
    render: Callable[[HttpRequest, Event], str]


SETTINGS_SECTIONS: Hook[SettingsSection] = Hook(
    "events.settings_sections", key=lambda section: section.key, unique=True
)


def settings_sections(request: HttpRequest, event: Event) -> list[tuple[str, str]]:
    """(title, HTML) of every app's section, in registration order (the empty left out)."""
    return [
        (section.title, html)
        for section in SETTINGS_SECTIONS.all()
        if (html := section.render(request, event))
    ]


def public_version(request: HttpRequest, page: str, obj: Event | Session) -> Freshness | None:
    """What every extension's part of an anonymous visitor's page depends on (None:
    one of them cannot say, so the page is not cached)."""
    combined = Freshness()
    for extension in PAGES.all():
        part = extension.public_version(request, page, obj)
        if part is None:
            return None
        combined |= part
    return combined
