"""Who may see and do what with events and sessions.

Small predicates composed with `rules`; every view names one of the
permissions added at the bottom.
"""

import rules

from convene.events.models import Event, EventRole, Session


def _roles(user, event: Event) -> set[str]:
    """The user's roles for this event, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_convene_event_roles", {})
    if event.pk not in cache:
        cache[event.pk] = set(
            EventRole.objects.filter(event=event, user=user).values_list("role", flat=True)
        )
    return cache[event.pk]


@rules.predicate
def is_published_event(user, event: Event) -> bool:
    return event.is_published


@rules.predicate
def is_event_organiser(user, event: Event) -> bool:
    return EventRole.Role.ORGANISER in _roles(user, event)


@rules.predicate
def has_any_event_role(user, event: Event) -> bool:
    return bool(_roles(user, event))


@rules.predicate
def is_programme_published(user, event: Event) -> bool:
    return event.programme_published


@rules.predicate
def session_programme_visible(user, session: Session) -> bool:
    return can_view_programme.test(user, session.event)


@rules.predicate
def is_session_organiser(user, session: Session) -> bool:
    return is_event_organiser.test(user, session.event)


@rules.predicate
def is_session_host(user, session: Session) -> bool:
    """One of the session's hosts with an account, or a host of the whole event."""
    if not user.is_authenticated:
        return False
    if EventRole.Role.HOST in _roles(user, session.event):
        return True
    return any(host.user_id == user.pk for host in session.hosts.all())


can_view_event = is_published_event | has_any_event_role | rules.is_superuser
can_view_programme = can_view_event & (
    is_programme_published | has_any_event_role | rules.is_superuser
)

rules.add_perm("events.view_event_list", rules.always_allow)
rules.add_perm("events.view_event", can_view_event)
rules.add_perm("events.view_programme", can_view_programme)
rules.add_perm("events.view_session", session_programme_visible)
rules.add_perm("events.change_event", is_event_organiser | rules.is_superuser)
# Whether the speakers agreed to be recorded is for the people running the session.
rules.add_perm(
    "events.view_recording_consent", is_session_organiser | is_session_host | rules.is_superuser
)
