"""Extension points: what feature apps add to event pages without events importing them.

docs/architecture.md lets feature apps (attendance, live, media ...) import events, never
the reverse. A feature app that has something to say on an event page
subclasses `PageExtension`, overrides the methods it needs, and registers one
instance in its `AppConfig.ready()`:

    from convene.events import extensions
    extensions.register(AttendanceExtension())

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

from collections.abc import Hashable

from django.http import HttpRequest

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


_registry: list[PageExtension] = []


def register(extension: PageExtension) -> None:
    """Add an extension (once: registering the same class again replaces it)."""
    unregister(type(extension))
    _registry.append(extension)


def unregister(kind: type[PageExtension]) -> None:
    _registry[:] = [e for e in _registry if type(e) is not kind]


def registered() -> list[PageExtension]:
    return list(_registry)


def event_actions(request: HttpRequest, event: Event) -> list[str]:
    return [html for e in _registry if (html := e.event_actions(request, event))]


def session_join(request: HttpRequest, session: Session) -> list[str]:
    return [html for e in _registry if (html := e.session_join(request, session))]


def session_sections(request: HttpRequest, session: Session) -> list[str]:
    return [html for e in _registry if (html := e.session_sections(request, session))]


def programme_states(request: HttpRequest, event: Event) -> dict[str, Hashable]:
    """Each extension's state for this visitor (only those that have one)."""
    states = {e.name: e.programme_state(request, event) for e in _registry}
    return {name: state for name, state in states.items() if state is not None}


def programme_cache_variant(states: dict[str, Hashable]) -> str:
    """The part of the programme's cache key that depends on the visitor."""
    return ";".join(f"{name}={states[name]!r}" for name in sorted(states))


def programme_session(
    request: HttpRequest, session: Session, states: dict[str, Hashable]
) -> list[str]:
    return [
        html
        for e in _registry
        if (html := e.programme_session(request, session, states.get(e.name)))
    ]


def programme_page(request: HttpRequest, event: Event, states: dict[str, Hashable]) -> list[str]:
    return [
        html for e in _registry if (html := e.programme_page(request, event, states.get(e.name)))
    ]


def public_version(request: HttpRequest, page: str, obj: Event | Session) -> Freshness | None:
    """What every extension's part of an anonymous visitor's page depends on (None:
    one of them cannot say, so the page is not cached)."""
    combined = Freshness()
    for extension in _registry:
        part = extension.public_version(request, page, obj)
        if part is None:
            return None
        combined |= part
    return combined
