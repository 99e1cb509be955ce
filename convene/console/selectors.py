"""Reads of the organiser console's messages to groups, each in a fixed number of queries.

- who is in a group (`audience`: through the group's own app, RECIPIENT_GROUPS),
  and the people the console's own groups are made of (`role_holders`,
  `session_hosts`: events' roles and hosts);
- the sent messages of an event and how their emails fared, from the
  outgoing-email ledger's states (`delivery_counts`: one grouped query for
  any number of messages).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from convene.accounts.models import User
from convene.console.extensions import Recipient, RecipientGroup
from convene.console.models import GROUP_MESSAGE, GroupMessage, purpose_for
from convene.core.models import OutgoingEmail
from convene.core.outbox import NOT_NEEDED
from convene.events.models import Event, EventRole, Host, Session

State = OutgoingEmail.State

# --- Who a message goes to ----------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """The people a message to a group goes to (each once, by name), and how many
    are left out because they turned optional emails off."""

    recipients: list[Recipient]
    left_out: int

    @property
    def count(self) -> int:
        return len(self.recipients)


def _by_name(recipient: Recipient) -> tuple[str, str]:
    return (recipient.name.casefold() or "\uffff", recipient.email)


def unique_recipients(recipients: Iterable[Recipient]) -> list[Recipient]:
    """One entry per address (the first), by name: a person in a group twice gets one email."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        seen.setdefault(recipient.email.strip().lower(), recipient)
    return sorted(seen.values(), key=_by_name)


def audience(
    *, group: RecipientGroup, event: Event, sessions: Sequence[Session], optional: bool
) -> Audience:
    """Everyone the group's app says is in the group; for an optional message, without
    the people who have not agreed to, or turned off, optional emails."""
    everyone = unique_recipients(group.recipients(event=event, sessions=sessions))
    if not (optional and group.can_opt_out):
        return Audience(everyone, 0)
    reached = [r for r in everyone if r.accepts_optional]
    return Audience(reached, len(everyone) - len(reached))


def sessions_to_choose(*, event: Event) -> QuerySet[Session]:
    """The sessions a message can be about: all but breaks, in programme order."""
    return event.sessions.exclude(kind=Session.Kind.BREAK).order_by("start", "title")


def role_holders(
    *, event: Event, roles: Iterable[str] | None = None, email: str | None = None
) -> list[User]:
    """Active people with one of `roles` in the event (any role when None), each once."""
    holders = EventRole.objects.filter(event=event, user__is_active=True)
    if roles is not None:
        holders = holders.filter(role__in=list(roles))
    if email is not None:
        holders = holders.filter(user__email__iexact=email)
    users: dict[int, User] = {}
    for role in holders.select_related("user").order_by("user__name", "user__email"):
        users.setdefault(role.user_id, role.user)
    return list(users.values())


def session_hosts(
    *, event: Event, sessions: Sequence[Session] | None = None, email: str | None = None
) -> list[tuple[User, list[Session]]]:
    """Each active person hosting sessions of the event (of `sessions` when given) with
    an account, and the sessions they host there, in programme order."""
    hosts = Host.objects.filter(session__event=event, user__isnull=False, user__is_active=True)
    if sessions is not None:
        hosts = hosts.filter(session__in=[s.pk for s in sessions])
    if email is not None:
        hosts = hosts.filter(user__email__iexact=email)
    people: dict[int, tuple[User, list[Session]]] = {}
    for host in hosts.select_related("user", "session__event").order_by(
        "session__start", "session__title"
    ):
        if host.user is None:  # filtered out above; for the type checker
            continue
        _, hosted = people.setdefault(host.user.pk, (host.user, []))
        if host.session not in hosted:
            hosted.append(host.session)
    return list(people.values())


# --- Sent messages ------------------------------------------------------------------


def messages_for_event(*, event: Event) -> QuerySet[GroupMessage]:
    """The event's messages, newest first, with who sent them and their sessions."""
    return (
        GroupMessage.objects.filter(event=event)
        .select_related("event", "sent_by")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("start")))
    )


WAITING = (State.PENDING, State.CLAIMED, State.SENDING)


@dataclass
class DeliveryCounts:
    """How a message's emails fared, from their ledger states."""

    by_state: dict[str, int] = field(default_factory=dict)
    #: Failed because the builder found them no longer wanted (the person left the
    #: group, turned optional emails off, or their account was deleted).
    not_needed: int = 0

    @property
    def sent(self) -> int:
        return self.by_state.get(State.SENT, 0)

    @property
    def waiting(self) -> int:
        return sum(self.by_state.get(state, 0) for state in WAITING)

    @property
    def failed(self) -> int:
        """Could not be delivered, or may not have been (uncertain): to follow up."""
        return (
            self.by_state.get(State.FAILED, 0)
            - self.not_needed
            + self.by_state.get(State.UNCERTAIN, 0)
        )

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    def rows(self) -> list[tuple[str, int]]:
        """(label, number) for every state, in the order an email moves through them."""
        labels = dict(State.choices)
        rows = [(labels[state], self.by_state.get(state, 0)) for state in WAITING]
        rows.append((labels[State.SENT], self.sent))
        rows.append(
            ("Failed", self.by_state.get(State.FAILED, 0) - self.not_needed),
        )
        rows.append((labels[State.UNCERTAIN], self.by_state.get(State.UNCERTAIN, 0)))
        rows.append(("Not needed: no longer wanted when it was due", self.not_needed))
        return rows


def delivery_counts(messages: Iterable[GroupMessage]) -> dict[int, DeliveryCounts]:
    """Each message's counts per ledger state, in one grouped query whatever their number."""
    ids = [m.pk for m in messages]
    counts = {pk: DeliveryCounts() for pk in ids}
    if not ids:
        return counts
    by_purpose = {purpose_for(pk): pk for pk in ids}
    rows = (
        OutgoingEmail.objects.filter(kind=GROUP_MESSAGE, purpose__in=list(by_purpose))
        .values("purpose", "state")
        .annotate(n=Count("id"), not_needed=Count("id", filter=Q(last_error=NOT_NEEDED)))
        .order_by()
    )
    for row in rows:
        entry = counts[by_purpose[row["purpose"]]]
        entry.by_state[row["state"]] = row["n"]
        if row["state"] == State.FAILED:
            entry.not_needed = row["not_needed"]
    return counts


def failed_emails(*, message: GroupMessage) -> QuerySet[OutgoingEmail]:
    """The message's emails that failed or may not have arrived, for organisers to follow up."""
    return (
        OutgoingEmail.objects.filter(
            kind=GROUP_MESSAGE,
            purpose=message.purpose,
            state__in=[State.FAILED, State.UNCERTAIN],
        )
        .exclude(last_error=NOT_NEEDED)
        .order_by("recipient")
    )
