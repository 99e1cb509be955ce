"""Every change to events, tracks, sessions and hosts (the organiser area's writes).

Each function is one state change: keyword-only, atomic, its side effects
listed in order. Cache invalidation happens through events/signals.py.
"""

import secrets
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from convene.accounts.models import User
from convene.core import audit, outbox
from convene.events.dates import event_dates_errors
from convene.events.emails import HOST_INVITATION
from convene.events.models import Event, EventRole, Host, HostInvitation, Room, Session, Track

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


def _user_has_email(user: User, email: str) -> bool:
    """The address is verified on the account, or is the email of an account an
    operator made (no allauth address rows). An unconfirmed sign-up with the
    address does not count: anyone can sign up with any address."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    if addresses.filter(email__iexact=email, verified=True).exists():
        return True
    return user.email.lower() == email.lower() and not addresses.exists()


@transaction.atomic
def host_invitation_accept(*, invitation: HostInvitation, user: User) -> Host:
    """Accept an invitation. Side effects: 1. the invitation is marked accepted;
    2. the person becomes a host of the session (host_add) with the invited role.

    Refused when already accepted or when the account lacks the invited address.
    """
    invitation = HostInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise ValidationError("This invitation has already been accepted.")
    if not _user_has_email(user, invitation.email):
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}. "
            "Sign in with that email address to accept it."
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    existing = invitation.session.hosts.filter(user=user).first()
    if existing is not None:
        return existing
    return host_add(session=invitation.session, role=invitation.role, user=user, by=user)


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
