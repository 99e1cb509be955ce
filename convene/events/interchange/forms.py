from datetime import date

from django import forms

from convene.events.interchange.checks import MAX_BYTES, too_large
from convene.events.interchange.plan import DatesToFit
from convene.events.models import Event, Session


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label="Schedule file",
        help_text=(
            "The JSON or XML schedule exported from pretalx or frab (schedule.json or "
            f"schedule.xml), up to {MAX_BYTES // 1024 // 1024} MB."
        ),
        error_messages={
            "required": "Select a schedule file to import",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload


class NewEventUploadForm(ScheduleUploadForm):
    """A schedule file to create a new event from (its conference block)."""

    slug = forms.SlugField(
        label="Web address of the new event",
        max_length=Event._meta.get_field("slug").max_length,
        required=False,
        help_text=(
            "The event's part of its address, /events/…/. Leave it empty to use the "
            "file's acronym (pretalx's short name of the event)."
        ),
    )

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()


def day_span(start: date, end: date) -> str:
    """'10 June 2026', '10–12 June 2026', '30 June – 2 July 2026', '30 December 2026 –
    2 January 2027'."""
    if start == end:
        return f"{end.day} {end:%B} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B} {end.year}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B} {end.year}"
    return f"{start.day} {start:%B} {start.year} – {end.day} {end:%B} {end.year}"


class ImportConfirmForm(forms.Form):
    """The organiser's choices on a preview: the kind each session type of the file
    becomes and, when the file does not fit the event's dates, the change of dates.

    One select per type name, named by position (`kind_0`, …): type names are the
    file's own text. The dates box must be ticked to confirm, not to preview again.
    """

    def __init__(
        self,
        *args,
        type_names: list[str],
        kind_map: dict[str, str],
        dates_to_fit: DatesToFit | None,
        confirming: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.type_names = type_names
        for index, name in enumerate(type_names):
            self.fields[f"kind_{index}"] = forms.ChoiceField(
                label=name, choices=Session.Kind.choices, initial=kind_map[name]
            )
        if dates_to_fit is not None:
            span = day_span(dates_to_fit.start_date, dates_to_fit.end_date)
            self.fields["extend_dates"] = forms.BooleanField(
                label=f"Change the event's dates to {span} to fit the file",
                required=confirming,
                error_messages={
                    "required": (
                        "Tick the box to change the event's dates, or cancel and import "
                        "a file for the event's dates"
                    )
                },
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"kind_{index}"] for index in range(len(self.type_names))]

    def kind_map(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"kind_{index}"] for index, name in enumerate(self.type_names)
        }
