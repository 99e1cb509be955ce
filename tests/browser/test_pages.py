"""The page list the browser tests walk through is the whole demo site."""

from convene.events.demo import demo_load
from convene.events.models import Session
from tests.browser.pages import DEMO_SESSIONS


def test_page_list_names_every_demo_event_and_session(db):
    demo_load()

    created: dict[str, list[str]] = {}
    for event_slug, session_slug in Session.objects.values_list("event__slug", "slug"):
        created.setdefault(event_slug, []).append(session_slug)
    assert {e: sorted(s) for e, s in created.items()} == {
        e: sorted(s) for e, s in DEMO_SESSIONS.items()
    }
