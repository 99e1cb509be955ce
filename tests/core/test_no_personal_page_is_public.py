"""No page for a signed-in person is ever marked public (core.public_cache).

Walks every URL pattern of the site (the API's, allauth's and ours; the admin's
index), fills its parameters with the personas' event, session and principle,
and asks for it as each signed-in persona: whatever the answer (a page, a
redirect, a 403 or 404), its Cache-Control must say private or no-store, never
public. Then
the public pages themselves, anonymously: public, and without a cookie or a
CSRF token.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from convene.spread.models import Principle
from tests.factories import HostFactory

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # the admin's regular expressions: its index only
            continue
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            routes.append(prefix + route)
    return sorted(set(routes))


@pytest.fixture
def values(event, session, moderator):
    host = HostFactory(session=session, guest_name="Guest Host")
    return {
        "event": event.slug,
        "session": session.slug,
        "principle": Principle.objects.order_by("number").first().slug,
        "pk": str(session.pk),
        "host_pk": str(host.pk),
    }


def _paths(values: dict[str, str]) -> list[str]:
    paths = ["/admin/"]
    for route in _routes(get_resolver().url_patterns):
        path = "/" + _PARAMETER.sub(lambda m: values.get(m["name"], "x"), route)
        paths.append(path)
    return paths


@pytest.mark.parametrize("persona", ["organiser", "host", "attendee", "moderator"])
def test_no_answer_to_a_signed_in_person_is_public(client, request, values, persona):
    client.force_login(request.getfixturevalue(persona))
    paths = _paths(values)
    assert len(paths) > 60  # the walk found the site

    public = []
    for path in paths:
        response = client.get(path)
        control = response.get("Cache-Control", "")
        if "public" in control or not ("private" in control or "no-store" in control):
            public.append((path, response.status_code, control))

    assert public == []


PUBLIC = [
    ("events:home", {}),
    ("events:event", {"event": "E"}),
    ("events:programme", {"event": "E"}),
    ("events:people", {"event": "E"}),
    ("events:session", {"event": "E", "session": "S"}),
    ("events:event_calendar", {"event": "E"}),
    ("events:session_calendar", {"event": "E", "session": "S"}),
    ("events:schedule_json", {"event": "E"}),
    ("events:schedule_xml", {"event": "E"}),
    ("contributions:event_board", {"event": "E"}),
    ("contributions:session_board", {"event": "E", "session": "S"}),
    ("contributions:event_votes", {"event": "E"}),
    ("contributions:event_csv", {"event": "E"}),
    ("contributions:session_markdown", {"event": "E", "session": "S"}),
    ("spread:principles", {}),
    ("spread:principle", {"principle": "P"}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC)
def test_the_public_pages_are_public_for_anonymous_visitors_only(
    client, values, attendee, name, kwargs
):
    filled = {
        key: {"E": values["event"], "S": values["session"], "P": values["principle"]}[v]
        for key, v in kwargs.items()
    }
    path = reverse(name, kwargs=filled)

    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    assert response.has_header("ETag")
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    client.force_login(attendee)
    assert client.get(path)["Cache-Control"] == "private, no-store"
