"""Schedule exports (public JSON and XML, organisers' CSV) and the organisers' import page.

Public exports apply `events.view_programme`, like the programme page and its
.ics file: drafts and unpublished programmes answer 404 to people without a
role. Organiser pages and the CSV use the organiser area's `organiser_view`
(convene/events/views/orga.py): `events.change_event`, and 404 for people who
may not see the event at all.

The import is in two steps: the upload is checked and kept (previews.py), its
page shows what the import would do (plan.py), and only the organiser's
confirmation imports it.

Every export is cached under the programme version (events/cache.py), so a
change to any session, host or track shows up in the next download; anonymous
downloads are also public answers, cached whole (core.public_cache).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from convene.core.permissions import require_or_404
from convene.core.public_cache import Freshness, depend, public_cache
from convene.events import selectors
from convene.events.cache import cached, event_scopes, programme_stamp
from convene.events.dates import session_window
from convene.events.interchange import serialisers
from convene.events.interchange.checks import ScheduleFileError
from convene.events.interchange.data import schedule_data
from convene.events.interchange.forms import (
    ImportConfirmForm,
    NewEventUploadForm,
    ScheduleUploadForm,
    day_span,
)
from convene.events.interchange.plan import check_file, new_event_plan, schedule_plan
from convene.events.interchange.previews import (
    PreviewOutdatedError,
    import_preview_confirm,
    import_preview_create,
    import_preview_create_event,
    import_preview_discard,
    is_current,
    preview_for,
)
from convene.events.interchange.services import resolve_kind_map
from convene.events.models import Event
from convene.events.views.orga import organiser_view
from convene.events.views.setup import add_service_errors, creator_view


def _export(
    event: Event, variant: str, serialise: Callable, *, include_cancelled: bool = False
) -> bytes:
    return cached(
        event,
        variant,
        lambda: serialise(schedule_data(event=event, include_cancelled=include_cancelled)),
    )


@require_safe
@public_cache(event_scopes)
def schedule_json(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_programme", event_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    body = _export(event_obj, "schedule.json", serialisers.schedule_json)
    return HttpResponse(body, content_type="application/json")


@require_safe
@public_cache(event_scopes)
def schedule_xml(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_programme", event_obj)
    depend(request, Freshness(stamps=(programme_stamp(event_obj),)))
    body = _export(event_obj, "schedule.xml", serialisers.schedule_xml)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@organiser_view
@require_safe
def schedule_csv(request: HttpRequest, event: Event) -> HttpResponse:
    body = _export(event, "schedule.csv", serialisers.schedule_csv, include_cancelled=True)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-schedule.csv"'
    return response


@organiser_view
@require_safe
def exports(request: HttpRequest, event: Event) -> HttpResponse:
    return render(request, "events/orga/exports.html", {"event": event, "orga_section": "exports"})


def _upload_page(request: HttpRequest, event: Event, form: ScheduleUploadForm, **context):
    return render(
        request,
        "events/orga/import.html",
        {"event": event, "orga_section": "import", "form": form, **context},
    )


def _upload_again(request: HttpRequest, event: Event) -> HttpResponse:
    form = ScheduleUploadForm(data={})
    form.errors.clear()  # bound, so the error summary shows only this message
    form.add_error(
        "file",
        "This preview is out of date: it expired, was used already, or the programme "
        "changed after it was made. Nothing was imported. Choose the file again to see "
        "a new preview",
    )
    return _upload_page(request, event, form)


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def import_schedule(request: HttpRequest, event: Event) -> HttpResponse:
    """Upload: the file is checked and kept for its preview; nothing is imported yet."""
    form = ScheduleUploadForm()
    if request.method == "POST":
        form = ScheduleUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                check_file(event=event, data=data)
            except ScheduleFileError as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                preview = import_preview_create(
                    event=event, user=request.user, filename=upload.name, data=data
                )
                url = reverse(
                    "events:orga_import_preview",
                    kwargs={"event": event.slug, "preview": preview.token},
                )
                return redirect(url)
    return _upload_page(request, event, form)


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, event: Event, preview: str) -> HttpResponse:
    """The preview of an uploaded file; its form confirms, previews again or cancels.

    A token that is not this person's for this event is treated as out of date, so
    the page tells nothing about other people's previews."""
    found = preview_for(token=preview, event=event, user=request.user)
    if found is None:
        return _upload_again(request, event)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        import_preview_discard(preview=found)
        messages.success(request, f"{found.filename} was not imported.")
        return redirect("events:orga_import", event=event.slug)
    if not is_current(found, event):
        if action is not None:
            import_preview_discard(preview=found)
        return _upload_again(request, event)
    data = bytes(found.data)
    checked = check_file(event=event, data=data)  # it passed on upload; the event is unchanged
    type_names = checked.parsed.type_names
    form = ImportConfirmForm(
        request.POST if request.method == "POST" else None,
        type_names=type_names,
        kind_map=resolve_kind_map(type_names),
        dates_to_fit=checked.dates_to_fit,
        confirming=action == "confirm",
    )
    if action == "confirm" and form.is_valid():
        ticked = form.cleaned_data.get("extend_dates", False)
        try:
            report = import_preview_confirm(
                preview=found,
                kind_map=form.kind_map(),
                dates=checked.dates_to_fit if ticked else None,
                by=request.user,
            )
        except PreviewOutdatedError:
            import_preview_discard(preview=found)
            return _upload_again(request, event)
        event.refresh_from_db()
        return _upload_page(request, event, ScheduleUploadForm(), report=report)
    kind_map = form.kind_map() if form.is_bound and form.is_valid() else None
    plan = schedule_plan(event=event, data=data, filename=found.filename, kind_map=kind_map)
    return render(
        request,
        "events/orga/import_preview.html",
        {
            "event": event,
            "orga_section": "import",
            "form": form,
            "plan": plan,
            "preview": found,
            "dates_to_fit": (
                day_span(plan.dates_to_fit.start_date, plan.dates_to_fit.end_date)
                if plan.dates_to_fit
                else ""
            ),
            "event_dates": day_span(event.start_date, event.end_date),
            "window_message": session_window(event).message,
            "sessions_by_change": [
                ("Sessions to create", plan.created),
                ("Sessions to update", plan.updated),
                ("Sessions unchanged", plan.unchanged),
            ],
        },
    )


# --- Into a new event (docs/decisions/0025): the same two steps, the event made from
# the file's conference block on confirmation. Rule: events.create_event.

OUTDATED = (
    "This preview is out of date: it expired or was used already. Nothing was imported. "
    "Choose the file again to see a new preview"
)


def _new_upload_page(request: HttpRequest, form: NewEventUploadForm) -> HttpResponse:
    return render(
        request,
        "events/setup/import.html",
        {"form": form, "setup_section": "import"},
        status=400 if form.errors else 200,
    )


def _new_upload_again(request: HttpRequest, error: ValidationError | str) -> HttpResponse:
    form = NewEventUploadForm(data={})
    form.errors.clear()  # bound, so the error summary shows only this message
    if isinstance(error, str):
        form.add_error("file", error)
    else:
        add_service_errors(form, error)
    return _new_upload_page(request, form)


@creator_view
@require_http_methods(["GET", "HEAD", "POST"])
def import_new_event(request: HttpRequest, _: None) -> HttpResponse:
    """Upload: the file (and the new event it describes) is checked and kept for its
    preview; nothing is created yet."""
    form = NewEventUploadForm()
    if request.method == "POST":
        form = NewEventUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload, slug = form.cleaned_data["file"], form.cleaned_data["slug"]
            data = upload.read()
            try:
                new_event_plan(data=data, filename=upload.name, slug=slug)
            except ScheduleFileError as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                preview = import_preview_create(
                    event=None, user=request.user, filename=upload.name, data=data, new_slug=slug
                )
                return redirect("events:import_new_event_preview", preview=preview.token)
    return _new_upload_page(request, form)


@creator_view
@require_http_methods(["GET", "HEAD", "POST"])
def import_new_event_preview(request: HttpRequest, _: None, preview: str) -> HttpResponse:
    """The preview of a file for a new event; its form confirms, previews again or cancels.
    A token that is not this person's is out of date, like one that expired."""
    found = preview_for(token=preview, event=None, user=request.user)
    if found is None:
        return _new_upload_again(request, OUTDATED)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel" or not is_current(found, None):
        import_preview_discard(preview=found)
        if action == "cancel":
            messages.success(request, f"{found.filename} was not imported.")
            return redirect("events:import_new_event")
        return _new_upload_again(request, OUTDATED)
    data = bytes(found.data)
    try:
        new = new_event_plan(data=data, filename=found.filename, slug=found.new_slug)
    except (ScheduleFileError, ValidationError) as error:  # a slug taken since the upload
        import_preview_discard(preview=found)
        if isinstance(error, ScheduleFileError):
            return _new_upload_again(request, " ".join(error.problems))
        return _new_upload_again(request, error)
    type_names = new.plan.type_names
    form = ImportConfirmForm(
        request.POST if request.method == "POST" else None,
        type_names=type_names,
        kind_map=resolve_kind_map(type_names),
        dates_to_fit=None,
        confirming=action == "confirm",
    )
    if action == "confirm" and form.is_valid():
        try:
            result = import_preview_create_event(
                preview=found, kind_map=form.kind_map(), by=request.user
            )
        except PreviewOutdatedError:
            import_preview_discard(preview=found)
            return _new_upload_again(request, OUTDATED)
        except ValidationError as error:
            import_preview_discard(preview=found)
            return _new_upload_again(request, error)
        sessions = result.report.sessions.created
        messages.success(
            request,
            f"“{result.event.title}” is created from {found.filename}, with {sessions} "
            f"session{'s' if sessions != 1 else ''}, and you organise it. It is a draft: "
            "only its team can see it. Check its settings and programme, then publish it here.",
            extra_tags="banner",
        )
        return redirect("events:orga_settings", event=result.event.slug)
    if form.is_bound and form.is_valid():
        new = new_event_plan(
            data=data, filename=found.filename, slug=found.new_slug, kind_map=form.kind_map()
        )
    fields = new.fields
    return render(
        request,
        "events/setup/import_preview.html",
        {
            "form": form,
            "setup_section": "import",
            "plan": new.plan,
            "preview": found,
            "new_event": fields,
            "new_event_dates": day_span(fields["start_date"], fields["end_date"]),
            "sessions_by_change": [
                ("Sessions to create", new.plan.created),
                ("Sessions to update", new.plan.updated),
                ("Sessions unchanged", new.plan.unchanged),
            ],
        },
    )
