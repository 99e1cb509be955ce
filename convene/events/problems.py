"""Schedule problems: the warnings shown on the organiser grid and problems page.

Pure functions over sessions already loaded with their hosts and room
(`selectors.sessions_for_calendar`), so checking a 300-session programme
costs no extra queries. Cancelled sessions and breaks never cause problems.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from convene.core.timeutil import in_zone
from convene.events.models import Event, Host, Session


class ProblemKind(StrEnum):
    HOST_CLASH = "host_clash"
    ROOM_CLASH = "room_clash"
    OUTSIDE_EVENT = "outside_event"
    NO_JOIN_LINK = "no_join_link"
    NO_HOST = "no_host"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str
    sessions: tuple[Session, ...]


def _host_key(host: Host) -> tuple[str, object]:
    if host.user_id:
        return ("user", host.user_id)
    return ("guest", host.guest_name.strip().casefold())


def _overlap(a: Session, b: Session) -> bool:
    return a.start < b.end and b.start < a.end


def _pairs_overlapping(sessions: list[Session]):
    ordered = sorted(sessions, key=lambda s: (s.start, s.pk))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start >= first.end:
                break
            yield first, second


def _needs_join_link(event: Event, session: Session) -> bool:
    return event.format in {Event.Format.ONLINE, Event.Format.HYBRID} and session.kind not in {
        Session.Kind.TWEET_CHAT,
        Session.Kind.BREAK,
    }


def schedule_problems(*, event: Event, sessions: list[Session]) -> list[Problem]:
    live = [s for s in sessions if not s.is_cancelled and s.kind != Session.Kind.BREAK]
    problems: list[Problem] = []

    by_host: dict[tuple[str, object], list[Session]] = defaultdict(list)
    names: dict[tuple[str, object], str] = {}
    for session in live:
        for host in session.hosts.all():
            key = _host_key(host)
            if session not in by_host[key]:
                by_host[key].append(session)
            names[key] = host.display_name
    for key, hosted in by_host.items():
        for first, second in _pairs_overlapping(hosted):
            problems.append(
                Problem(
                    ProblemKind.HOST_CLASH,
                    f"{names[key]} hosts “{first.title}” and “{second.title}” at the same time.",
                    (first, second),
                )
            )

    # A room holds one session at a time; a track (a theme) may run in several rooms.
    by_room: dict[int, list[Session]] = defaultdict(list)
    for session in live:
        if session.room_id:
            by_room[session.room_id].append(session)
    for room_sessions in by_room.values():
        for first, second in _pairs_overlapping(room_sessions):
            problems.append(
                Problem(
                    ProblemKind.ROOM_CLASH,
                    f"“{first.title}” and “{second.title}” overlap in {first.room.name}.",
                    (first, second),
                )
            )

    for session in live:
        starts = in_zone(session.start, event.tz).date()
        ends = in_zone(session.end, event.tz).date()
        if starts < event.start_date or ends > event.end_date:
            problems.append(
                Problem(
                    ProblemKind.OUTSIDE_EVENT,
                    f"“{session.title}” is outside the event's days "
                    f"({event.start_date:%-d %B} to {event.end_date:%-d %B %Y}).",
                    (session,),
                )
            )
        if _needs_join_link(event, session) and not session.join_url:
            problems.append(
                Problem(
                    ProblemKind.NO_JOIN_LINK,
                    f"“{session.title}” is online but has no join link.",
                    (session,),
                )
            )
        if not session.hosts.all():
            problems.append(
                Problem(ProblemKind.NO_HOST, f"“{session.title}” has no host.", (session,))
            )
    return problems


def problems_by_session(problems: list[Problem]) -> dict[int, list[Problem]]:
    index: dict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        for session in problem.sessions:
            index[session.pk].append(problem)
    return dict(index)
