"""Every page a visitor of the demo site can reach, for the page-by-page checks.

Sessions come from the demo definitions themselves, so a session added to the
demo is checked too; `test_pages.py` proves the list matches what
`demo_load()` actually creates.
"""

from dataclasses import dataclass
from datetime import date

from convene.events import demo


@dataclass(frozen=True)
class DemoPage:
    id: str
    path: str
    signed_in: bool = False
    status: int = 200


DEMO_SESSIONS = {
    "big-conversation-2022": [s.slug for s in demo.BIG_CONVERSATION_SESSIONS],
    "the-next-conversation-2022": [s.slug for s in demo.NEXT_CONVERSATION_SESSIONS],
    # Slugs do not depend on the day; the day only moves the event four weeks ahead.
    "spread-and-adoption-conversation": [
        s.slug
        for s in demo._upcoming_sessions(date.today())  # noqa: DTZ011 - slugs only
    ],
}


def _event_pages(event: str) -> list[DemoPage]:
    return [
        DemoPage(f"event:{event}", f"/events/{event}/"),
        DemoPage(f"programme:{event}", f"/events/{event}/programme/"),
        DemoPage(f"people:{event}", f"/events/{event}/people/"),
        *(
            DemoPage(f"session:{event}/{slug}", f"/events/{event}/sessions/{slug}/")
            for slug in DEMO_SESSIONS[event]
        ),
    ]


PAGES = [
    DemoPage("home", "/"),
    *(page for event in DEMO_SESSIONS for page in _event_pages(event)),
    DemoPage(
        "programme:big-conversation-2022?kind=open_conversation",
        "/events/big-conversation-2022/programme/?kind=open_conversation",
    ),
    DemoPage("not-found", "/events/no-such-event/", status=404),
    DemoPage("sign-in", "/accounts/login/"),
    DemoPage("sign-up", "/accounts/signup/"),
    DemoPage("password-reset", "/accounts/password/reset/"),
    DemoPage("profile", "/profile/", signed_in=True),
]
