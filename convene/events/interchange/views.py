"""Schedule exports (public JSON and XML, organisers' CSV) and the organisers' import page.

Public exports apply `events.view_programme`, like the programme page and its
.ics file: drafts and unpublished programmes answer 404 to people without a
role. Organiser pages and the CSV use the organiser area's `organiser_view`
(convene/events/views/orga.py): `events.change_event`, and 404 for people who
may not see the event at all.

Every export is cached under the programme version (events/cache.py), so a
change to any session, host or track shows up in the next download.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from convene.core.permissions import require_or_404
from convene.events import selectors
from convene.events.cache import cached
from convene.events.interchange import serialisers
from convene.events.interchange.checks import ScheduleFileError
from convene.events.interchange.data import schedule_data
from convene.events.interchange.forms import ScheduleUploadForm
from convene.events.interchange.services import schedule_import
from convene.events.models import Event
from convene.events.views.orga import organiser_view


def _export(
    event: Event, variant: str, serialise: Callable, *, include_cancelled: bool = False
) -> bytes:
    return cached(
        event,
        variant,
        lambda: serialise(schedule_data(event=event, include_cancelled=include_cancelled)),
    )


@require_safe
def schedule_json(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_programme", event_obj)
    body = _export(event_obj, "schedule.json", serialisers.schedule_json)
    return HttpResponse(body, content_type="application/json")


@require_safe
def schedule_xml(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = selectors.event_by_slug(event)
    require_or_404(request.user, "events.view_programme", event_obj)
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


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def import_schedule(request: HttpRequest, event: Event) -> HttpResponse:
    report = None
    form = ScheduleUploadForm()
    if request.method == "POST":
        form = ScheduleUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = schedule_import(event=event, data=upload.read(), filename=upload.name)
            except ScheduleFileError as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                form = ScheduleUploadForm()
    return render(
        request,
        "events/orga/import.html",
        {"event": event, "orga_section": "import", "form": form, "report": report},
    )
