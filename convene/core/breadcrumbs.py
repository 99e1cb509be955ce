"""The breadcrumb trail every page shows (templates/includes/breadcrumbs.html).

Pages inside an event go Events > event > Programme > session, then whatever
the page adds (`more`: (label, url) pairs), so the trail reads the same in
every app.
"""

from collections.abc import Iterable

from django.urls import reverse


def crumbs(
    event=None,
    session=None,
    *,
    programme: bool = False,
    more: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """(label, url) pairs down to the page's parent; `programme` adds the programme
    when there is no session (a session's trail always has it)."""
    trail = [("Events", reverse("events:home"))]
    if event is not None:
        trail.append((event.title, event.get_absolute_url()))
        if programme or session is not None:
            trail.append(("Programme", reverse("events:programme", kwargs={"event": event.slug})))
    if session is not None:
        trail.append((session.title, session.get_absolute_url()))
    trail.extend(more)
    return trail
