"""Every page a visitor of the demo site can reach, for the page-by-page checks.

Sessions come from the demo definitions themselves, so a session added to the
demo is checked too; `test_pages.py` proves the list matches what
`demo_load()` actually creates.
"""

import re
from dataclasses import dataclass
from datetime import date

from convene.events import demo


@dataclass(frozen=True)
class DemoPage:
    """A page to check. `as_user` names who is signed in: "" (nobody), "member"
    (a person with no role) or "organiser" (organiser@example.org of the demo).
    `path` may hold `{session:SLUG}` or `{track:NAME}`, filled in with the
    database id when the page is visited."""

    id: str
    path: str
    as_user: str = ""
    status: int = 200

    @property
    def signed_in(self) -> bool:
        return bool(self.as_user)


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
    DemoPage(
        "chat:big-conversation-2022/what-is-needed-to-help-people-spread-innovation-and-improvement",
        "/events/big-conversation-2022/sessions/"
        "what-is-needed-to-help-people-spread-innovation-and-improvement/chat/",
    ),
    DemoPage(
        "chat-history:big-conversation-2022/what-is-needed-to-help-people-spread-innovation-and-improvement",
        "/events/big-conversation-2022/sessions/"
        "what-is-needed-to-help-people-spread-innovation-and-improvement/chat/history/",
    ),
    DemoPage("not-found", "/events/no-such-event/", status=404),
    # The refusal middleware's page (NUL in the address): a 400 a visitor can reach.
    DemoPage("bad-address", "/host-invitations/%00/", status=400),
    DemoPage("sign-in", "/accounts/login/"),
    DemoPage("sign-up", "/accounts/signup/"),
    DemoPage("password-reset", "/accounts/password/reset/"),
    DemoPage("profile", "/profile/", as_user="member"),
    DemoPage(
        "register:spread-and-adoption-conversation",
        "/events/spread-and-adoption-conversation/register/",
    ),
    DemoPage("register:big-conversation-2022", "/events/big-conversation-2022/register/"),
    DemoPage("agenda", "/my/agenda/", as_user="member"),
]

_ORGA = "/orga/big-conversation-2022"
_SPREAD = "what-is-needed-to-help-people-spread-innovation-and-improvement"
ORGANISER_PAGES = [
    DemoPage("orga:dashboard", f"{_ORGA}/dashboard/", as_user="organiser"),
    DemoPage("orga:grid", f"{_ORGA}/", as_user="organiser"),
    DemoPage("orga:problems", f"{_ORGA}/problems/", as_user="organiser"),
    DemoPage("orga:sessions", f"{_ORGA}/sessions/", as_user="organiser"),
    DemoPage("orga:session-new", f"{_ORGA}/sessions/new/", as_user="organiser"),
    DemoPage("orga:session", f"{_ORGA}/sessions/{{session:{_SPREAD}}}/", as_user="organiser"),
    DemoPage(
        "orga:session-move", f"{_ORGA}/sessions/{{session:{_SPREAD}}}/move/", as_user="organiser"
    ),
    DemoPage("orga:tracks", f"{_ORGA}/tracks/", as_user="organiser"),
    DemoPage("orga:track", f"{_ORGA}/tracks/{{track:Main stage}}/", as_user="organiser"),
    DemoPage("orga:import", f"{_ORGA}/import/", as_user="organiser"),
    DemoPage("orga:exports", f"{_ORGA}/exports/", as_user="organiser"),
    DemoPage("orga:registrations", f"{_ORGA}/registrations/", as_user="organiser"),
    DemoPage("orga:attendance", f"{_ORGA}/attendance/", as_user="organiser"),
    DemoPage(
        "orga:attendance-session",
        f"{_ORGA}/attendance/{{session:{_SPREAD}}}/",
        as_user="organiser",
    ),
    DemoPage("orga:chat-settings", f"{_ORGA}/chat/", as_user="organiser"),
    DemoPage("orga:log", f"{_ORGA}/log/", as_user="organiser"),
    DemoPage("orga:team", f"{_ORGA}/team/{{team_invitation:listed}}", as_user="organiser"),
    DemoPage("orga:settings", f"{_ORGA}/settings/", as_user="organiser"),
    # Setting events up (docs/decisions/0025); the demo organiser is a superuser.
    DemoPage("setup:create", "/orga/new/", as_user="organiser"),
    DemoPage("setup:copy", "/orga/new/copy/", as_user="organiser"),
    DemoPage("setup:import", "/orga/new/import/", as_user="organiser"),
    DemoPage("setup:creators", "/orga/event-creators/", as_user="organiser"),
    DemoPage("setup:creators-search", "/orga/event-creators/?q=member", as_user="organiser"),
    DemoPage("setup:not-allowed", "/orga/new/", as_user="member", status=403),
    DemoPage("orga:messages", f"{_ORGA}/messages/", as_user="organiser"),
    DemoPage("orga:message-new", f"{_ORGA}/messages/new/", as_user="organiser"),
    DemoPage(
        "orga:message-new-for-a-session",
        f"{_ORGA}/messages/new/?group=session_registrants&sessions={{session:{_SPREAD}}}",
        as_user="organiser",
    ),
    # The demo's example message (convene/console/demo.py).
    DemoPage(
        "orga:message", f"{_ORGA}/messages/{{message:Day 2 running order}}/", as_user="organiser"
    ),
]
PAGES += ORGANISER_PAGES
PAGES += [
    DemoPage(f"{page}:{event}", f"/events/{event}/{page}/")
    for event in ["big-conversation-2022"]
    for page in ["privacy", "accessibility"]
]

# An emailed invitation to the team, as the invited person (member@example.org) sees
# it in each state, and as someone signed in with another address does.
_INVITATION = "/team-invitations/{team_invitation:%s}/"
TEAM_INVITATION_PAGES = [
    DemoPage("team-invitation:open", _INVITATION % "open", as_user="member"),
    DemoPage("team-invitation:accepted", _INVITATION % "accepted", as_user="member"),
    DemoPage("team-invitation:expired", _INVITATION % "expired", as_user="member", status=410),
    DemoPage("team-invitation:revoked", _INVITATION % "revoked", as_user="member", status=410),
    DemoPage(
        "team-invitation:another-address", _INVITATION % "open", as_user="organiser", status=403
    ),
]
PAGES += TEAM_INVITATION_PAGES

_BIG = "/events/big-conversation-2022"
_QUESTION = "{question:Who should we involve first}"
CONTRIBUTION_PAGES = [
    DemoPage("top-tips:event", f"{_BIG}/top-tips/"),
    DemoPage("top-tips:session", f"{_BIG}/sessions/{_SPREAD}/top-tips/"),
    DemoPage(
        "top-tips:session-signed-in", f"{_BIG}/sessions/{_SPREAD}/top-tips/", as_user="member"
    ),
    DemoPage(
        "top-tips:session-filtered",
        f"{_BIG}/sessions/{_SPREAD}/top-tips/?kind=question&principle=learning&sort=newest",
    ),
    DemoPage("top-tips:moderated", f"{_BIG}/sessions/{_SPREAD}/top-tips/", as_user="organiser"),
    DemoPage("top-tips:hidden", f"{_BIG}/sessions/{_SPREAD}/top-tips/hidden/", as_user="organiser"),
    DemoPage("top-tips:questions", f"{_BIG}/sessions/{_SPREAD}/questions/", as_user="organiser"),
    DemoPage("top-tips:answer", f"/contributions/{_QUESTION}/answer/", as_user="organiser"),
    DemoPage("principles", "/principles/"),
    DemoPage("principle:learning", "/principles/learning/"),
    DemoPage("principle:unconfirmed", "/principles/innovation-development/"),
    DemoPage("principle:edit", "/principles/networks/edit/", as_user="organiser"),
    DemoPage("api:docs", "/api/docs"),
]
PAGES += CONTRIBUTION_PAGES


_TOKEN = re.compile(r"\{(session|track|question|team_invitation|message):([^}]+)\}")


def resolve_path(path: str) -> str:
    """Fill `{session:SLUG}` / `{track:NAME}` / `{question:START OF TEXT}` /
    `{message:START OF SUBJECT}` in a page path with database ids, and
    `{team_invitation:STATE}` with the link token of a new invitation
    (`_team_invitation`)."""
    from convene.console.models import GroupMessage
    from convene.contributions.models import Contribution
    from convene.events.models import Session, Track

    def _id(match: re.Match) -> str:
        kind, key = match.groups()
        if kind == "session":
            return str(Session.objects.get(slug=key).pk)
        if kind == "question":
            return str(Contribution.objects.get(text__startswith=key).pk)
        if kind == "team_invitation":
            return _team_invitation(key)
        if kind == "message":
            return str(GroupMessage.objects.get(subject__startswith=key).pk)
        return str(Track.objects.get(name=key, event__slug="big-conversation-2022").pk)

    return _TOKEN.sub(_id, path)


def _team_invitation(state: str) -> str:
    """An invitation of member@example.org to the Big Conversation's team in `state`
    (open, accepted, expired, revoked), and its link's token; `listed` makes sure an
    open one exists and fills in nothing, for the team page that lists it. Open
    ones are shared (the database keeps one open invitation per address and role);
    the expired one, also open to the database, is to another role."""
    from datetime import timedelta

    from django.utils import timezone

    from convene.accounts.models import User
    from convene.events.models import Event, TeamInvitation
    from convene.events.tokens import team_invitation_token

    now = timezone.now()
    event = Event.objects.get(slug="big-conversation-2022")
    role = "judge" if state == "expired" else "reviewer"
    invitation = None
    if state in {"open", "listed"}:
        invitation = TeamInvitation.objects.filter(
            event=event, role=role, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
    member = User.objects.filter(email="member@example.org").first()
    closed = {
        "accepted": {"accepted_at": now, "accepted_by": member},
        "revoked": {"revoked_at": now},
    }.get(state, {})
    if invitation is None:
        invitation = TeamInvitation.objects.create(
            event=event,
            email="member@example.org",
            role=role,
            key=f"browser-{state}",
            invited_by=User.objects.get(email="organiser@example.org"),
            expires_at=now + timedelta(days=14),
            last_sent_at=now,
            **closed,
        )
    if state == "expired":  # sent 20 days ago (created_at is set on creation)
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            created_at=now - timedelta(days=20), expires_at=now - timedelta(days=6)
        )
    if state == "listed":
        return ""
    return team_invitation_token(pk=invitation.pk, key=invitation.key)
