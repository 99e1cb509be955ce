"""Every change to events, tracks, sessions, hosts and the event's team (the
organiser area's writes).

Each function is one state change: keyword-only, atomic, its side effects
listed in order. Cache invalidation happens through events/signals.py.
"""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from convene.accounts.models import User
from convene.accounts.selectors import owns_email_address
from convene.core import audit, outbox
from convene.core.timeutil import in_zone
from convene.events import extensions
from convene.events.cache import programme_changed
from convene.events.dates import SessionWindow, event_dates_errors, session_window
from convene.events.emails import HOST_INVITATION, TEAM_INVITATION
from convene.events.models import (
    Event,
    EventRole,
    Host,
    HostInvitation,
    Room,
    Session,
    TeamInvitation,
    Track,
)

# What the audit log keeps of a session's change (core.audit): every field people edit.
SESSION_AUDITED = [
    "title", "slug", "kind", "summary", "description", "start", "end", "room", "track",
    "capacity", "status", "join_url", "join_provider", "do_not_record",
]  # fmt: skip


def _session_audit(session: Session, action: str, by: User | None, data: dict) -> None:
    audit.audit_record(actor=by, action=action, obj=session, event_id=session.event_id, data=data)


def _unique_session_slug(event: Event, title: str, *, exclude: int | None = None) -> str:
    base = slugify(title)[:100] or "session"
    sessions = event.sessions.all() if exclude is None else event.sessions.exclude(pk=exclude)
    taken = set(sessions.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def session_create(*, event: Event, by: User | None, **fields) -> Session:
    """Create a session. Side effects: 1. a unique slug is derived from the title
    when none is given; 2. the row is validated and saved (programme version rises);
    3. the audit log records it (`by`: the person, None for the system)."""
    session = Session(event=event, **fields)
    if not session.slug:
        session.slug = _unique_session_slug(event, session.title)
    session.full_clean()
    session.save()
    _session_audit(
        session, "events.session_created", by, audit.snapshot(session, ["start", "end", "kind"])
    )
    return session


@transaction.atomic
def session_update(
    *, session: Session, by: User | None, action: str = "events.session_changed", **fields
) -> Session:
    """Change a session's fields. Side effects: validation, save (SEQUENCE rises
    when a calendar-visible field changed; programme version rises); the audit log
    records what changed as `action` (nothing when nothing did)."""
    before = audit.snapshot(session, SESSION_AUDITED)
    for key, value in fields.items():
        setattr(session, key, value)
    session.full_clean()
    session.save()
    changed = audit.changes(before, audit.snapshot(session, SESSION_AUDITED))
    if changed:
        _session_audit(session, action, by, changed)
    return session


@transaction.atomic
def session_move(
    *, session: Session, start: datetime, end: datetime, room: Room | None, by: User | None
) -> Session:
    """Move a session to another time and/or room (the grid's one action).

    Side effects: as `session_update` (a room from another event is refused).
    """
    if room is not None and room.event_id != session.event_id:
        raise ValidationError({"room": "This room belongs to another event."})
    return session_update(
        session=session, by=by, action="events.session_moved", start=start, end=end, room=room
    )


@transaction.atomic
def session_cancel(*, session: Session, by: User | None) -> Session:
    """Cancel: the session stays in the programme, marked cancelled (STATUS:CANCELLED)."""
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled.")
    return session_update(
        session=session, by=by, action="events.session_cancelled", status=Session.Status.CANCELLED
    )


@transaction.atomic
def session_reinstate(*, session: Session, by: User | None) -> Session:
    if not session.is_cancelled:
        raise ValidationError("This session is not cancelled.")
    return session_update(
        session=session,
        by=by,
        action="events.session_reinstated",
        status=Session.Status.SCHEDULED,
    )


@transaction.atomic
def track_create(*, event: Event, name: str, by: User | None) -> Track:
    name = name.strip()
    if event.tracks.filter(name__iexact=name).exists():
        raise ValidationError({"name": "There is already a track with this name."})
    position = (
        event.tracks.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    track = Track(event=event, name=name, position=position)
    track.full_clean()
    track.save()
    audit.audit_record(actor=by, action="events.track_created", obj=track, event_id=event.pk)
    return track


@transaction.atomic
def track_rename(*, track: Track, name: str, by: User | None) -> Track:
    name = name.strip()
    if track.event.tracks.exclude(pk=track.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": "There is already a track with this name."})
    before = track.name
    track.name = name
    track.full_clean()
    track.save()
    if before != name:
        audit.audit_record(
            actor=by,
            action="events.track_renamed",
            obj=track,
            event_id=track.event_id,
            data={"name": [before, name]},
        )
    return track


@transaction.atomic
def track_delete(*, track: Track, by: User | None) -> None:
    """Delete a track. Its sessions stay in the programme without a track."""
    audit.audit_record(
        actor=by,
        action="events.track_deleted",
        obj=track,
        event_id=track.event_id,
        data={"sessions": track.sessions.count()},
    )
    track.delete()


@transaction.atomic
def host_add(
    *,
    session: Session,
    role: str,
    user: User | None = None,
    guest_name: str = "",
    organisation: str = "",
    bio: str = "",
    social_handle: str = "",
    by: User | None,
) -> Host:
    """Add a host. Side effects: 1. the Host row; 2. with a user, their HOST role
    for the event (so they can see a draft programme and, later, moderate);
    3. the audit log records it, on the session."""
    position = (
        session.hosts.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    host = Host(
        session=session,
        user=user,
        guest_name=guest_name.strip(),
        role=role,
        organisation=organisation,
        bio=bio,
        social_handle=social_handle,
        position=position,
    )
    host.full_clean()
    host.save()
    if user is not None:
        EventRole.objects.get_or_create(event=session.event, user=user, role=EventRole.Role.HOST)
    _session_audit(
        session,
        "events.host_added",
        by,
        {"host": host.display_name, "role": host.get_role_display()},
    )
    return host


@transaction.atomic
def host_remove(*, host: Host, by: User | None) -> None:
    _session_audit(
        host.session,
        "events.host_removed",
        by,
        {"host": host.display_name, "role": host.get_role_display()},
    )
    host.delete()


@transaction.atomic
def host_invite(*, session: Session, email: str, role: str, invited_by: User) -> HostInvitation:
    """Invite someone by email to host a session.

    Side effects: 1. the invitation row with a fresh secret token; 2. the
    invitation email is recorded (core.outbox, exactly once: its purpose holds
    the invitation's id) and sent after commit (events/emails.py builds it).
    """
    invitation = HostInvitation(
        session=session,
        email=email.strip().lower(),
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
    )
    invitation.full_clean()
    invitation.save()
    _session_audit(
        session,
        "events.host_invited",
        invited_by,
        {"email": invitation.email, "role": invitation.get_role_display()},
    )
    outbox.email_record(
        kind=HOST_INVITATION,
        recipient=invitation.email,
        purpose=f"host_invitation:{invitation.pk}",
        payload={"invitation": invitation.pk},
    )
    return invitation


def _invitation_claim(invitation: HostInvitation | TeamInvitation, user: User) -> None:
    """What accepting any emailed invitation shares (to host a session, to join an
    event's team): refused with `PermissionDenied`, naming the invited address,
    unless that mailbox is the person's (`accounts.selectors.owns_email_address`);
    otherwise marked accepted by them. The caller holds the invitation's row lock
    and has checked its own states (accepted, expired ...)."""
    if not owns_email_address(user, invitation.email):
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}. "
            "Sign in with that email address to accept it."
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def host_invitation_accept(*, invitation: HostInvitation, user: User) -> Host:
    """Accept an invitation. Side effects: 1. the invitation is marked accepted;
    2. the person becomes a host of the session (host_add) with the invited role.

    Refused when already accepted or when the account lacks the invited address.
    """
    invitation = HostInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise ValidationError("This invitation has already been accepted.")
    _invitation_claim(invitation, user)
    existing = invitation.session.hosts.filter(user=user).first()
    if existing is not None:
        return existing
    return host_add(session=invitation.session, role=invitation.role, user=user, by=user)


# --- The event's team: roles and invitations to them ---------------------------------

#: Emails one team invitation may send: the first and three re-sends. More would be
#: a nuisance to the address; revoke it and invite again if it really must go again.
TEAM_INVITATION_SENDS = 4


def _role_label(role: str) -> str:
    return str(EventRole.Role(role).label)


def _a_role(role: str) -> str:
    """The role with its article ("an organiser", "a judge"), for messages."""
    name = _role_label(role).lower()
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _check_role(role: str) -> None:
    if role not in EventRole.Role.values:
        raise ValidationError({"role": "Choose one of the roles."})


def _event_locked(event: Event) -> Event:
    """The event's row, locked until the transaction ends (FOR UPDATE on PostgreSQL;
    SQLite's IMMEDIATE transactions already queue every writer at BEGIN)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _team_invitation_locked(invitation: TeamInvitation) -> TeamInvitation:
    return (
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=invitation.pk)
    )


def _team_invitation_email(invitation: TeamInvitation) -> None:
    outbox.email_record(
        kind=TEAM_INVITATION,
        recipient=invitation.email,
        purpose=f"team_invitation:{invitation.pk}:{invitation.sends}",
        payload={"invitation": invitation.pk},
    )


def _team_audit(action: str, invitation: TeamInvitation, by: User | None, **data) -> None:
    audit.audit_record(
        actor=by,
        action=action,
        obj=invitation,
        event_id=invitation.event_id,
        data={"email": invitation.email, "role": invitation.get_role_display(), **data},
    )


@transaction.atomic
def team_invite(*, event: Event, email: str, role: str, by: User | None) -> TeamInvitation:
    """Invite someone by email to take `role` in the event.

    Side effects, in order:
    1. the event's row is locked, so two invitations of one address to one role queue;
    2. refused with a `ValidationError` by field, storing nothing, when the role is
       unknown, the address is not valid, an account with the address already holds
       the role here, or an open invitation of it to the role exists (re-send that
       one, even when it has expired);
    3. the invitation row: the address lower-cased, a random key (events/tokens.py
       signs its link), expiring in `settings.TEAM_INVITATION_DAYS`;
    4. the audit log records it (`events.team_invited`);
    5. the invitation email is recorded (core.outbox, purpose
       `team_invitation:<id>:1`) and sent after commit (events/emails.py builds it).
    """
    _check_role(role)
    email = email.strip().lower()
    event = _event_locked(event)
    now = timezone.now()
    invitation = TeamInvitation(
        event=event,
        email=email,
        role=role,
        key=secrets.token_urlsafe(24),
        invited_by=by,
        expires_at=now + timedelta(days=settings.TEAM_INVITATION_DAYS),
        last_sent_at=now,
    )
    invitation.full_clean(validate_constraints=False)
    holders = EventRole.objects.filter(event=event, role=role).filter(
        Q(user__email__iexact=email)
        | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
    )
    if holders.exists():
        raise ValidationError({"email": f"{email} is already {_a_role(role)} of this event."})
    if TeamInvitation.objects.filter(
        event=event, email=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ValidationError(
            {
                "email": f"{email} has already been invited as {_role_label(role).lower()}. "
                "Re-send or revoke that invitation below."
            }
        )
    invitation.save()
    _team_audit("events.team_invited", invitation, by)
    _team_invitation_email(invitation)
    return invitation


@transaction.atomic
def team_invitation_resend(*, invitation: TeamInvitation, by: User | None) -> TeamInvitation:
    """Send an open invitation's email again (it got lost, or expired unused).

    Side effects, in order:
    1. the invitation's row is locked, so the limit holds when people click at once;
    2. refused with a `ValidationError` when it was accepted or revoked, or has
       sent `TEAM_INVITATION_SENDS` emails already;
    3. `sends` rises, `last_sent_at` is now and `expires_at` a whole period from now
       (`settings.TEAM_INVITATION_DAYS`); the link stays the same;
    4. the audit log records it (`events.team_invitation_resent`, with the count);
    5. a new email is recorded under its own purpose, `team_invitation:<id>:<sends>`
       (the outbox sends each purpose once), and sent after commit.
    """
    invitation = _team_invitation_locked(invitation)
    if invitation.is_accepted:
        raise ValidationError("This invitation has been accepted: there is nothing to re-send.")
    if invitation.is_revoked:
        raise ValidationError("This invitation was revoked. Invite them again instead.")
    if invitation.sends >= TEAM_INVITATION_SENDS:
        raise ValidationError(
            f"This invitation has been sent {invitation.sends} times, the most it can be. "
            "Revoke it and invite them again if it must go once more."
        )
    now = timezone.now()
    invitation.sends += 1
    invitation.last_sent_at = now
    invitation.expires_at = now + timedelta(days=settings.TEAM_INVITATION_DAYS)
    invitation.save(update_fields=["sends", "last_sent_at", "expires_at"])
    _team_audit("events.team_invitation_resent", invitation, by, sent=invitation.sends)
    _team_invitation_email(invitation)
    return invitation


@transaction.atomic
def team_invitation_revoke(*, invitation: TeamInvitation, by: User | None) -> TeamInvitation:
    """Withdraw an invitation before it is accepted.

    Side effects, in order:
    1. the invitation's row is locked (so it cannot be accepted meanwhile);
    2. refused with a `ValidationError` when it was accepted or revoked already;
    3. `revoked_at` is now: its link is refused from here on, and its emails not
       sent yet are not sent (the builder finds it closed);
    4. the audit log records it (`events.team_invitation_revoked`).
    """
    invitation = _team_invitation_locked(invitation)
    if invitation.is_accepted:
        raise ValidationError("This invitation has been accepted already: remove the role instead.")
    if invitation.is_revoked:
        raise ValidationError("This invitation was revoked already.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _team_audit("events.team_invitation_revoked", invitation, by)
    return invitation


@transaction.atomic
def team_invitation_accept(*, invitation: TeamInvitation, user: User) -> EventRole:
    """Accept a team invitation as `user`, the person signed in.

    Side effects, in order:
    1. the invitation's row is locked (two tabs accepting at once accept once);
    2. accepted by this person already: their role is returned and nothing
       changes (accepting twice is harmless); if an organiser has taken the role
       away since, the used link gives nothing back (`ValidationError`);
    3. refused with a `ValidationError` when it was revoked, has expired or was
       accepted by another account; with `PermissionDenied`, naming the invited
       address, when that address is not the person's (`_invitation_claim`, as
       for host invitations);
    4. the invitation is marked accepted by them;
    5. they hold the role (an EventRole; kept as it is if they held it already);
    6. the audit log records it, by them (`events.team_invitation_accepted`).
    """
    invitation = _team_invitation_locked(invitation)
    if invitation.is_accepted and invitation.accepted_by_id == user.pk:
        held = EventRole.objects.filter(
            event=invitation.event, user=user, role=invitation.role
        ).first()
        if held is None:  # taken away since: a used link does not give it back
            raise ValidationError(
                "You accepted this invitation before and your role has since been taken "
                "away. Ask the event's organisers to invite you again."
            )
        return held
    if invitation.is_revoked:
        raise ValidationError("This invitation was revoked by the event's organisers.")
    if invitation.is_accepted:
        raise ValidationError("This invitation has already been accepted.")
    if invitation.is_expired:
        raise ValidationError("This invitation has expired.")
    _invitation_claim(invitation, user)
    role, _ = EventRole.objects.get_or_create(
        event=invitation.event, user=user, role=invitation.role
    )
    _team_audit("events.team_invitation_accepted", invitation, user)
    return role


@transaction.atomic
def role_add(*, event: Event, user: User, role: str, by: User | None) -> EventRole:
    """Give a person a role in the event (someone already on its team page).

    Side effects, in order:
    1. refused with a `ValidationError` when the role is unknown or they hold it;
    2. the EventRole row;
    3. the audit log records it (`events.role_added`).
    """
    _check_role(role)
    if EventRole.objects.filter(event=event, user=user, role=role).exists():
        raise ValidationError({"role": f"{user} is already {_a_role(role)}."})
    event_role = EventRole.objects.create(event=event, user=user, role=role)
    audit.audit_record(
        actor=by,
        action="events.role_added",
        obj=event_role,
        event_id=event.pk,
        data={"role": _role_label(role)},
    )
    return event_role


@transaction.atomic
def role_remove(*, event: Event, user: User, role: str, by: User | None) -> None:
    """Take a role away from a person. The last organiser stays.

    Side effects, in order:
    1. the event's row is locked (`_event_locked`), so two organisers removing
       each other at the same moment are counted one after the other: the second
       finds one organiser left and is refused;
    2. refused with a `ValidationError` when they do not hold the role, or when it
       is the event's last organiser role (their own included): nobody could run
       the event or appoint anyone any more;
    3. the EventRole row is deleted. A host's Host rows stay: they are still
       listed on their sessions, and moderate them, until removed from each;
    4. the audit log records it (`events.role_removed`).
    """
    _check_role(role)
    event = _event_locked(event)
    event_role = EventRole.objects.filter(event=event, user=user, role=role).first()
    if event_role is None:
        raise ValidationError({"role": f"{user} is not {_a_role(role)}."})
    if role == EventRole.Role.ORGANISER and (
        EventRole.objects.filter(event=event, role=EventRole.Role.ORGANISER).count() == 1
    ):
        raise ValidationError(
            {
                "role": f"{user} is the only organiser of this event. "
                "Make someone else an organiser first."
            }
        )
    audit.audit_record(
        actor=by,
        action="events.role_removed",
        obj=event_role,
        event_id=event.pk,
        data={"role": _role_label(role)},
    )
    event_role.delete()


@transaction.atomic
def programme_publish(*, event: Event, by: User | None) -> Event:
    """Make the programme and its sessions public (when the event is published)."""
    event.programme_published = True
    event.save(update_fields=["programme_published", "updated_at"])
    audit.audit_record(actor=by, action="events.programme_published", obj=event, event_id=event.pk)
    return event


@transaction.atomic
def programme_unpublish(*, event: Event, by: User | None) -> Event:
    event.programme_published = False
    event.save(update_fields=["programme_published", "updated_at"])
    audit.audit_record(
        actor=by, action="events.programme_unpublished", obj=event, event_id=event.pk
    )
    return event


@transaction.atomic
def event_dates_extend(*, event: Event, start_date: date, end_date: date, by: User | None) -> Event:
    """Widen the event's days so they include `start_date` to `end_date` (never narrow them).

    1. the new first and last day are checked against events/dates.py (2000 to 2100,
       31 days at most): `ValidationError` by field, and nothing saved, otherwise;
    2. `start_date`, `end_date` and `updated_at` are saved, which makes every cached
       copy of the programme stale (events/cache.py keys on `updated_at`).
    """
    first, last = min(event.start_date, start_date), max(event.end_date, end_date)
    errors = event_dates_errors(first, last)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(event, ["start_date", "end_date"])
    event.start_date, event.end_date = first, last
    event.save(update_fields=["start_date", "end_date", "updated_at"])
    audit.audit_record(
        actor=by,
        action="events.dates_changed",
        obj=event,
        event_id=event.pk,
        data=audit.changes(before, audit.snapshot(event, ["start_date", "end_date"])),
    )
    return event


# --- Setting events up: create, copy, settings (docs/decisions/0025) ------------------

#: What a person gives when creating an event (and may change later, but the slug).
EVENT_FIELDS = [
    "title", "slug", "start_date", "end_date", "time_zone", "format", "strapline",
    "description", "hashtags",
]  # fmt: skip
#: What the "Event settings" page changes, and the audit log keeps of a change.
SETTINGS_FIELDS = [
    *(name for name in EVENT_FIELDS if name != "slug"),
    "status", "programme_published", "contact_email", "privacy_notice",
    "accessibility_statement",
]  # fmt: skip
#: What a copy takes from its source besides the title, slug and dates.
COPIED_FIELDS = [
    "time_zone", "format", "strapline", "description", "hashtags", "resources_intro",
    "contact_email", "privacy_notice", "accessibility_statement",
]  # fmt: skip
_SLUG_MAX = Event._meta.get_field("slug").max_length or 80


def event_slug_suggest(title: str) -> str:
    """A free slug made from `title` ("the-big-conversation", "-2", "-3" … when taken;
    never one of `Event.RESERVED_SLUGS`). Reads only (one query)."""
    base = slugify(title)[: _SLUG_MAX - 4].strip("-") or "event"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= Event.RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _slug_taken_error(slug: str) -> ValidationError:
    return ValidationError(
        {"slug": f"There is already an event at /events/{slug}/: choose another web address"}
    )


def _event_check(event: Event, *, check_slug: bool) -> None:
    """The model's rules (events/dates.py, reserved slugs, choices), with a clear
    message for a slug in use; ValidationError by field."""
    if check_slug and Event.objects.filter(slug=event.slug).exclude(pk=event.pk).exists():
        raise _slug_taken_error(event.slug)
    event.full_clean(validate_unique=False)


@transaction.atomic
def event_create(*, by: User | None, organiser: User | None = None, **fields) -> Event:
    """Create an event, as a draft with its programme hidden. Side effects, in order:

    1. an empty slug becomes a free one made from the title (`event_slug_suggest`);
    2. the event is checked (events/dates.py: 2000 to 2100, 31 days at most, the end
       not before the start; a slug in use or reserved): `ValidationError` by field
       and nothing stored; then saved;
    3. `organiser`, else `by`, becomes its organiser (an `EventRole`), if a person;
    4. the audit log records it (`by`: the person, None for the system).
    """
    unknown = set(fields) - {*EVENT_FIELDS, *COPIED_FIELDS}
    if unknown:
        raise ValueError(f"Not event fields: {', '.join(sorted(unknown))}")
    event = Event(**fields, status=Event.Status.DRAFT, programme_published=False)
    if not event.slug:
        event.slug = event_slug_suggest(event.title)
    _event_check(event, check_slug=True)
    event.save()
    person = organiser or by
    if person is not None:
        EventRole.objects.create(event=event, user=person, role=EventRole.Role.ORGANISER)
    audit.audit_record(
        actor=by,
        action="events.event_created",
        obj=event,
        event_id=event.pk,
        data=audit.snapshot(event, ["slug", "start_date", "end_date", "time_zone"]),
    )
    return event


def _outside(event: Event, window: SessionWindow) -> tuple[int, Session | None]:
    """How many of the event's sessions the window leaves out, and the first of them
    (two queries)."""
    outside = event.sessions.filter(
        Q(start__lt=window.earliest)
        | Q(start__gte=window.latest)
        | Q(end__lte=window.earliest)
        | Q(end__gt=window.latest)
    )
    return outside.count(), outside.order_by("start").first()


def _stranded_error(count: int, first: Session, event: Event, field: str) -> ValidationError:
    local = in_zone(first.start, event.tz)
    return ValidationError(
        {
            field: (
                f"{count} session{' falls' if count == 1 else 's fall'} outside these dates "
                f"(the first: “{first.title}”, {local.day} {local:%B %Y %H:%M}). "
                "Move or delete them first, or choose dates that include them"
            )
        }
    )


@transaction.atomic
def event_settings_update(*, event: Event, by: User | None, **fields) -> Event:
    """Change an event's settings (the "Event settings" page). Side effects, in order:

    1. the event row is locked and read again; `fields` (of `SETTINGS_FIELDS`) are
       set on that copy (so `event` itself is untouched when the change is refused);
    2. it is checked as `event_create` checks; when the dates or the time zone
       change, every session must still fall on the event's days (events/dates.py,
       docs/decisions/0025): otherwise `ValidationError` on the field, naming how
       many sessions are outside and the first, and nothing is saved;
    3. when anything changed: saved (every cached copy of the programme is stale,
       `updated_at`), and the audit log records the fields that changed.

    Returns the saved event.
    """
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not settings fields: {', '.join(sorted(unknown))}")
    current = Event.objects.select_for_update().get(pk=event.pk)
    before = audit.snapshot(current, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.__dict__.pop("tz", None)  # the zone may have changed
    changed = audit.changes(before, audit.snapshot(current, SETTINGS_FIELDS))
    if not changed:
        return current
    _event_check(current, check_slug=False)
    moved = {"start_date", "end_date", "time_zone"} & set(changed)
    if moved:
        count, first = _outside(current, session_window(current))
        if count and first is not None:
            field = next(n for n in ("end_date", "start_date", "time_zone") if n in moved)
            raise _stranded_error(count, first, current, field)
    current.save()
    # Publishing the programme reads in the log as it does from the programme grid's button
    # (programme_publish), so filtering by that kind finds it whichever page did it.
    published = changed.pop("programme_published", None)
    if published is not None:
        action = "events.programme_published" if published[1] else "events.programme_unpublished"
        audit.audit_record(actor=by, action=action, obj=current, event_id=current.pk)
    if changed:
        audit.audit_record(
            actor=by,
            action="events.settings_changed",
            obj=current,
            event_id=current.pk,
            data=changed,
        )
    return current


def _shifted(moment: datetime, *, days: int, zone) -> datetime:
    """The same wall-clock time in `zone`, `days` later (a time the clocks skip that
    day moves with the clocks, as the zone's rules say)."""
    local = in_zone(moment, zone)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), zone)


@transaction.atomic
def event_copy(
    *,
    source: Event,
    by: User | None,
    title: str,
    slug: str = "",
    start_date: date,
    end_date: date,
    with_sessions: bool = False,
) -> Event:
    """A new event from an earlier one (improvement teams run the same event every
    year). Side effects, in order:

    1. the copy is created as `event_create` does (a draft; `by` its organiser; the
       same checks), with `title`, `slug`, the dates given and the source's other
       settings (`COPIED_FIELDS`: zone, format, texts, contact address, privacy
       notice, accessibility statement);
    2. the source's rooms and tracks, in their order;
    3. its team: every organiser, reviewer and judge role (hosts come with their
       sessions);
    4. with `with_sessions`, its scheduled sessions (not cancelled ones), shifted
       by the days between the two first days at the same local times in the
       event's zone, with their rooms, tracks, kinds, type names, texts, places
       and hosts (a host with an account gets the event's host role) — but not
       their join links, which are for one occasion; a session that would fall
       outside the copy's days refuses the copy (`ValidationError` on `end_date`,
       nothing stored);
    5. every app's `events.extensions.EVENT_COPIED` function copies its own
       per-event settings (live: the chat settings), in this transaction;
    6. the audit log records the copy, on the copy, with what was copied.
    """
    copy = event_create(
        by=by,
        title=title,
        slug=slug,
        start_date=start_date,
        end_date=end_date,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    source_rooms, source_tracks = list(source.rooms.all()), list(source.tracks.all())
    rooms = Room.objects.bulk_create(
        [Room(event=copy, name=r.name, position=r.position) for r in source_rooms]
    )
    tracks = Track.objects.bulk_create(
        [Track(event=copy, name=t.name, position=t.position) for t in source_tracks]
    )
    room_for = {old.pk: new for old, new in zip(source_rooms, rooms, strict=True)}
    track_for = {old.pk: new for old, new in zip(source_tracks, tracks, strict=True)}
    team = {(role.user_id, role.role) for role in copy.roles.all()}
    for user_id, role in source.roles.exclude(role=EventRole.Role.HOST).values_list(
        "user_id", "role"
    ):
        team.add((user_id, role))
    sessions: list[Session] = []
    if with_sessions:
        sessions = _sessions_copied(source, copy, room_for=room_for, track_for=track_for, team=team)
    existing = set(copy.roles.values_list("user_id", "role"))
    EventRole.objects.bulk_create(
        [EventRole(event=copy, user_id=u, role=r) for u, r in sorted(team - existing)]
    )
    extensions.event_copied(source=source, copy=copy)
    programme_changed(copy.pk)
    audit.audit_record(
        actor=by,
        action="events.event_copied",
        obj=copy,
        event_id=copy.pk,
        data={
            "from": source.title,
            "rooms": len(rooms),
            "tracks": len(tracks),
            "team": len(team),
            "sessions": len(sessions),
        },
    )
    copy.refresh_from_db()
    return copy


def _sessions_copied(
    source: Event,
    copy: Event,
    *,
    room_for: dict[int, Room],
    track_for: dict[int, Track],
    team: set[tuple[int, str]],
) -> list[Session]:
    """Copy the scheduled sessions and their hosts (event_copy, step 4); adds the hosts'
    roles to `team`."""
    days = (copy.start_date - source.start_date).days
    window = session_window(copy)
    originals = list(
        source.sessions.filter(status=Session.Status.SCHEDULED).prefetch_related("hosts")
    )
    sessions, outside = [], []
    for original in originals:
        start = _shifted(original.start, days=days, zone=copy.tz)
        end = _shifted(original.end, days=days, zone=copy.tz)
        if end <= start:  # the clocks changed in between: keep the length
            end = start + (original.end - original.start)
        if not (window.allows_start(start) and window.allows_end(end)):
            outside.append(original)
        sessions.append(
            Session(
                event=copy,
                title=original.title,
                slug=original.slug,
                kind=original.kind,
                type_name=original.type_name,
                summary=original.summary,
                description=original.description,
                start=start,
                end=end,
                room=room_for.get(original.room_id) if original.room_id else None,
                track=track_for.get(original.track_id) if original.track_id else None,
                do_not_record=original.do_not_record,
                hashtags=original.hashtags,
                capacity=original.capacity,
            )
        )
    if outside:
        first = outside[0]
        shifted = in_zone(first.start, copy.tz) + timedelta(days=days)
        raise ValidationError(
            {
                "end_date": (
                    f"{len(outside)} session{' falls' if len(outside) == 1 else 's fall'} "
                    f"outside the new dates once moved (the first: “{first.title}”, "
                    f"{shifted.day} {shifted:%B %Y}). Choose dates as long as the earlier "
                    "event's, or copy it without its sessions"
                )
            }
        )
    Session.objects.bulk_create(sessions)
    hosts = []
    for original, session in zip(originals, sessions, strict=True):
        for host in original.hosts.all():
            hosts.append(
                Host(
                    session=session,
                    user_id=host.user_id,
                    guest_name=host.guest_name,
                    role=host.role,
                    organisation=host.organisation,
                    bio=host.bio,
                    social_handle=host.social_handle,
                    position=host.position,
                )
            )
            if host.user_id:
                team.add((host.user_id, EventRole.Role.HOST))
    Host.objects.bulk_create(hosts)
    return sessions
