"""The audit log: one row for every change a person makes through a service
(docs/decisions/0030-one-audit-log.md).

Organisers read an event's log (who did what, when, to which thing) in the
organiser area; later apps (open call decisions, awards decisions) write to the
same table. A service that changes state calls `audit_record` inside its own
transaction, after the change, naming the action and the thing:

    audit_record(actor=by, action="events.session_cancelled", obj=session,
                 event_id=session.event_id, data={"status": ["scheduled", "cancelled"]})

Every action code is declared with a label by the app that writes it, in its
hooks.py (`AUDIT_ACTIONS.register(AuditAction("events.session_cancelled",
"Cancelled a session"))`), so the log reads as sentences and its filter lists
every kind; recording an undeclared code is a programming error and raises.

`data` is short: the fields that changed as `[before, after]` (`changes()`),
or the numbers that matter (recipients, sessions imported). Personal data
other than the actor's name stays out of it: the log outlives registrations.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from convene.core.hooks import Hook
from convene.core.models import AuditEntry

#: Who an entry names once its person deleted their account.
DELETED = "A deleted account"


@dataclass(frozen=True)
class AuditAction:
    #: "<app>.<what happened>", e.g. "events.session_cancelled".
    code: str
    #: What the person did, as the log shows it: "Cancelled a session".
    label: str


AUDIT_ACTIONS: Hook[AuditAction] = Hook("core.audit_actions", key=lambda a: a.code, unique=True)


def actions() -> list[AuditAction]:
    return sorted(AUDIT_ACTIONS.all(), key=lambda a: a.label)


def label_for(code: str) -> str:
    action = AUDIT_ACTIONS.get(code)
    return action.label if action else code


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    event_id: int | None = None,
    subject: Any = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one log row. Call it inside the service's transaction. `actor` is the
    person (None for the system: a command, a scheduled job); `subject` the person
    the change was about, if any."""
    if AUDIT_ACTIONS.get(action) is None:
        raise LookupError(f"Undeclared audit action {action!r}: register an AuditAction.")
    person = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=person,
        actor_name=_name(person),
        subject=subject,
        subject_name=_name(subject),
        event_id=event_id,
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        data=dict(data or {}),
    )


#: Longer text is cut in the log: it records that a description changed, not the essay.
TEXT_LIMIT = 120


def _name(person: Any) -> str:
    if person is None:
        return ""
    return (person.get_full_name() or person.get_username())[:200]


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` now (foreign keys as their names), for `changes()`."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = str(value) if isinstance(value, models.Model) else value
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for the fields whose value differs (long text cut)."""
    return {
        name: [_short(before.get(name)), _short(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        return value[: TEXT_LIMIT - 1] + "…"
    return value


def describe(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry's data as (name, text) lines: a change as "before → after"."""
    lines = []
    for name, value in data.items():
        label = name.replace("_", " ").capitalize()
        if isinstance(value, list) and len(value) == 2:
            before, after = (_text(v) for v in value)
            lines.append((label, f"{before} → {after}"))
        else:
            lines.append((label, _text(value)))
    return lines


def _text(value: Any) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "–"
    return str(value)


def entries_for_object(*, obj: models.Model) -> QuerySet[AuditEntry]:
    """What was done to one thing (a chat room, a session), newest first."""
    return AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def entries_for_event(
    *, event_id: int, actor_id: int | None = None, action: str = ""
) -> QuerySet[AuditEntry]:
    """An event's log, newest first, optionally one person's or one kind's (one query
    a page: the object's type comes from ContentType's own cache)."""
    entries = AuditEntry.objects.filter(event_id=event_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = entries.filter(action=action)
    return entries


def actors_for_event(*, event_id: int) -> list[tuple[int, str]]:
    """(id, name) of everyone with an entry in the event's log, by name."""
    rows = (
        AuditEntry.objects.filter(event_id=event_id, actor__isnull=False)
        .values_list("actor_id", "actor_name")
        .distinct()
    )
    names: dict[int, str] = {}
    for actor_id, name in rows:
        names.setdefault(actor_id, name)
    return sorted(names.items(), key=lambda item: item[1].lower())


def person_export(user: Any) -> list[dict[str, Any]]:
    """What the log holds about a person: the changes they made, and those made about
    them (muted, given a role ...)."""
    entries = AuditEntry.objects.filter(Q(actor=user) | Q(subject=user)).order_by(
        "created_at", "id"
    )
    return [
        {
            "at": entry.created_at.isoformat(),
            "event_id": entry.event_id,
            "by_you": entry.actor_id == user.pk,
            "about_you": entry.subject_id == user.pk,
            "action": label_for(entry.action),
            "object": entry.object_repr,
            "change": entry.data,
        }
        for entry in entries
    ]


def _addresses(user: Any) -> set[str]:
    """The person's email addresses, lower case (allauth's rows and the account's own)."""
    addresses = {user.email.lower()} if user.email else set()
    related = getattr(user, "emailaddress_set", None)
    if related is not None:
        addresses |= {email.lower() for email in related.values_list("email", flat=True)}
    return addresses


def person_erase(user: Any) -> None:
    """The person's name leaves the log; what was done stays (by, or about, "a deleted
    account"); entries that name one of their addresses (an invitation sent to it) keep
    "a deleted account" in its place."""
    AuditEntry.objects.filter(actor=user).update(actor=None, actor_name=DELETED)
    AuditEntry.objects.filter(subject=user).update(subject=None, subject_name=DELETED)
    addresses = _addresses(user)
    if not addresses:
        return
    for entry in AuditEntry.objects.filter(data__has_key="email").only("pk", "data"):
        if str(entry.data.get("email", "")).lower() in addresses:
            entry.data = {**entry.data, "email": DELETED}
            entry.save(update_fields=["data"])
