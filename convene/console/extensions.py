"""Hook points of the organiser console: what feature apps add to an event's
messages to groups and its dashboard (core/hooks.py; each app plugs in from its
own hooks.py). The console imports no feature app's internals: attendance,
live and contributions describe their own groups and figures here.

Filled in by the work on messages to groups and on the dashboard (issue 14).

Messages to groups
------------------
`RECIPIENT_GROUPS` takes a `RecipientGroup` per group of people an organiser
can write to (attendance: everyone registered, the people of chosen sessions,
waiting lists; the console itself: hosts, reviewers, judges, the team). The
group's app answers who is in it, as plain `Recipient` data, with the values
of the placeholders only it can fill (`{join_link}`: attendance knows join
windows); the console writes, previews, records and sends the message and
fills the placeholders every message has (`{name}`, `{event}`,
`{event_link}`). `recipients` is asked twice: for everyone when the message is
written and sent, and for one address (`email=`) when that person's email is
built, so the email says what is true when it leaves (docs/decisions/0027).

    # convene/attendance/hooks.py
    from convene.console.extensions import RECIPIENT_GROUPS, RecipientGroup
    RECIPIENT_GROUPS.register(RecipientGroup(key="registrants", label=..., recipients=...))

`compose_url` is the address of the compose page with a group (and sessions)
chosen, for other apps' organiser pages to link to.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from convene.core.hooks import Hook

if TYPE_CHECKING:
    from convene.events.models import Event, Session


@dataclass(frozen=True)
class Recipient:
    """One person a message goes to, as plain data (no model of another app)."""

    email: str
    name: str = ""
    user_id: int | None = None
    #: Values of the group's own placeholders for this person ({"join_link": ...}).
    values: Mapping[str, str] = field(default_factory=dict)
    #: False: the person has not agreed to, or has turned off, optional emails;
    #: optional messages leave them out (only groups with `can_opt_out`).
    accepts_optional: bool = True
    #: The one-click link that turns optional emails off (List-Unsubscribe), or "".
    unsubscribe_url: str = ""


#: `recipients(event=..., sessions=..., email=None)`: everyone in the group, or
#: only the person with that address (lower case); one entry per person.
RecipientsFunction = Callable[..., list[Recipient]]


@dataclass(frozen=True)
class RecipientGroup:
    """A group of an event's people an organiser can write to."""

    #: Stored with each message ("registrants", "session_hosts" ...): never change it.
    key: str
    #: What the compose page and the sent log call it.
    label: str
    recipients: RecipientsFunction
    #: The organiser chooses one or more sessions, and the group is their people.
    takes_sessions: bool = False
    #: Its members can turn optional emails off (registrants can; people with a role cannot).
    can_opt_out: bool = False
    #: The group's own placeholders, by name, with what each is filled with.
    placeholders: Mapping[str, str] = field(default_factory=dict)
    #: The end of "You get this email because ...", in the email's footer.
    why: str = "you take part in {event}"


RECIPIENT_GROUPS: Hook[RecipientGroup] = Hook(
    "console.recipient_groups", key=lambda group: group.key, unique=True
)


def recipient_group(key: str) -> RecipientGroup | None:
    return RECIPIENT_GROUPS.get(key)


def compose_url(
    event: "Event", *, group: str = "", sessions: Iterable["Session"] | Sequence[int] = ()
) -> str:
    """The compose page of `event`, with `group` and `sessions` chosen."""
    url = reverse("console:message_new", kwargs={"event": event.slug})
    query: list[tuple[str, str | int]] = [("group", group)] if group else []
    query += [("sessions", s if isinstance(s, int) else s.pk) for s in sessions]
    return f"{url}?{urlencode(query)}" if query else url
