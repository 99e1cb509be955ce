"""An uploaded schedule file between its preview and the organiser's confirmation.

The upload page checks the file, keeps it as an `ImportPreview` row and shows
what the import would do (interchange/plan.py); nothing reaches the programme
until the organiser confirms. The file waits in the database rather than the
cache (local memory is per worker) or the session (files of up to 5 MB). A
preview belongs to the person who uploaded it and to its event; it expires
after `LIFETIME`, and is refused when the programme changed after it was made,
since the plan it showed may no longer hold.

These are the preview's writes (services, in the house style); the import's
own are in services.py.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.events.cache import programme_key
from convene.events.interchange.plan import DatesToFit
from convene.events.interchange.services import (
    ImportReport,
    NewEventImport,
    schedule_import,
    schedule_import_new_event,
)
from convene.events.models import Event, ImportPreview
from convene.events.services import event_dates_extend

LIFETIME = timedelta(hours=1)
_KEY_VARIANT = "import-preview"


class PreviewOutdatedError(Exception):
    """The preview expired, or the programme changed after it: upload the file again."""


def _key(event: Event | None) -> str:
    return programme_key(event, _KEY_VARIANT) if event is not None else ""


def preview_for(*, token: str, event: Event | None, user: User) -> ImportPreview | None:
    """The person's preview for this event (None: for a new event) with this token
    (reads only); None if there is none."""
    return ImportPreview.objects.filter(token=token, event=event, user=user).first()


def is_current(preview: ImportPreview, event: Event | None) -> bool:
    fresh = preview.created_at >= timezone.now() - LIFETIME
    return fresh and preview.programme_key == _key(event)


@transaction.atomic
def import_preview_create(
    *, event: Event | None, user: User, filename: str, data: bytes, new_slug: str = ""
) -> ImportPreview:
    """Keep a checked schedule file for the person's confirmation (`event` None: a file
    to create a new event from, under `new_slug`). Side effects:

    1. every expired preview (any event, anyone's) is deleted, and so is this
       person's earlier preview for this event (or for a new event): one waits per
       person and event;
    2. a preview is stored with a random token and the programme's current key.
    """
    ImportPreview.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
    ImportPreview.objects.filter(event=event, user=user).delete()
    return ImportPreview.objects.create(
        token=secrets.token_urlsafe(32),
        event=event,
        user=user,
        filename=filename[:255],
        data=data,
        programme_key=_key(event),
        new_slug=new_slug if event is None else "",
    )


@transaction.atomic
def import_preview_discard(*, preview: ImportPreview) -> None:
    """Delete the preview and its file; the programme is untouched."""
    preview.delete()


@transaction.atomic
def import_preview_confirm(
    *,
    preview: ImportPreview,
    kind_map: dict[str, str] | None = None,
    dates: DatesToFit | None = None,
    by: User | None,
) -> ImportReport:
    """Apply a previewed import. Side effects, in order:

    1. the event row is locked; a preview that expired or whose programme changed
       since raises `PreviewOutdatedError`, writing nothing (discard it then);
    2. with `dates`, the event's days are widened to them (`event_dates_extend`);
    3. the file is imported with `kind_map` (`schedule_import`: tracks, sessions,
       hosts, the programme version);
    4. the preview is deleted.

    A file refused by the import raises `ScheduleFileError` and nothing is written.
    """
    if preview.event_id is None:
        raise ValueError("This preview is for a new event: import_preview_create_event.")
    event = Event.objects.select_for_update().get(pk=preview.event_id)
    if not is_current(preview, event):
        raise PreviewOutdatedError
    if dates is not None:
        event_dates_extend(event=event, start_date=dates.start_date, end_date=dates.end_date, by=by)
    report = schedule_import(
        event=event,
        data=bytes(preview.data),
        filename=preview.filename,
        kind_map=kind_map,
        by=by,
    )
    preview.delete()
    return report


@transaction.atomic
def import_preview_create_event(
    *, preview: ImportPreview, kind_map: dict[str, str] | None = None, by: User
) -> NewEventImport:
    """Apply a previewed import into a new event. Side effects, in order:

    1. a preview that expired raises `PreviewOutdatedError`, writing nothing;
    2. the event is created from the file's conference block under the preview's
       slug, `by` its organiser, and the file imported into it
       (`schedule_import_new_event`): a slug taken meanwhile raises
       `ValidationError` on `slug`, a file refused `ScheduleFileError`, and nothing
       is written then;
    3. the preview is deleted.
    """
    if preview.event_id is not None or not is_current(preview, None):
        raise PreviewOutdatedError
    result = schedule_import_new_event(
        data=bytes(preview.data),
        filename=preview.filename,
        by=by,
        slug=preview.new_slug,
        kind_map=kind_map,
    )
    preview.delete()
    return result
