"""Forms of setting events up: create, copy, the event's settings, who may create events.

The checks the services make (events/dates.py, a slug in use) are made here too,
so a bad form answers with errors on its fields before any service runs; the
services check again (docs/decisions/0025).
"""

from datetime import timedelta

from django import forms
from django.db.models import QuerySet

from convene.core import timezones
from convene.events.dates import event_dates_errors
from convene.events.models import Event

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _zone_choices(current: str = "") -> list:
    choices = timezones.choices()
    if current and current not in timezones.canonical_zones():
        choices = [("", [(current, current)]), *choices]
    return choices


class _EventFieldsForm(forms.Form):
    """Title, dates, time zone, format and texts: what creating and the settings share."""

    title = forms.CharField(max_length=Event._meta.get_field("title").max_length)
    start_date = forms.DateField(label="First day", widget=_DATE)
    end_date = forms.DateField(
        label="Last day", widget=_DATE, help_text="The same as the first day for a one-day event."
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        initial="Europe/London",
        help_text="The programme shows every time in this zone.",
        # init.mjs puts the visitor's own zone first in lists marked so.
        widget=forms.Select(attrs={"data-zone-list": ""}),
    )
    format = forms.ChoiceField(
        choices=Event.Format.choices, initial=Event.Format.ONLINE, widget=forms.RadioSelect
    )
    strapline = forms.CharField(
        max_length=Event._meta.get_field("strapline").max_length,
        required=False,
        help_text="One line under the title.",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, [links](https://…), lists.",
    )
    hashtags = forms.CharField(
        max_length=Event._meta.get_field("hashtags").max_length,
        required=False,
        help_text="For example #ImprovingTogether #SolvingTogether",
    )

    def __init__(self, *args, current_zone: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices(current_zone)

    def clean(self):
        cleaned = super().clean()
        for name, message in event_dates_errors(
            cleaned.get("start_date"), cleaned.get("end_date")
        ).items():
            self.add_error(name, message)
        return cleaned


def _slug_error(slug: str) -> str | None:
    if slug in Event.RESERVED_SLUGS:
        return f"“{slug}” is a word the organiser area uses: choose another"
    if Event.objects.filter(slug=slug).exists():
        return f"There is already an event at /events/{slug}/: choose another web address"
    return None


class _SlugMixin:
    """The web address: optional (made from the title), unique, never a reserved word."""

    def _slug_field(self) -> forms.SlugField:
        return forms.SlugField(
            label="Web address",
            max_length=Event._meta.get_field("slug").max_length,
            required=False,
            help_text=(
                "The event's part of its address, /events/…/: lower-case letters, numbers "
                "and hyphens. Made from the title if you leave it empty. It cannot be "
                "changed once the event is created."
            ),
            # assets/js/slug.mjs fills it from the title until the person edits it.
            widget=forms.TextInput(attrs={"data-slug-from": "id_title", "spellcheck": "false"}),
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()  # type: ignore[attr-defined]
        if slug and (error := _slug_error(slug)):
            raise forms.ValidationError(error)
        return slug


class EventCreateForm(_SlugMixin, _EventFieldsForm):
    """Create an event (events.services.event_create)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"] = self._slug_field()
        order = ["title", "slug"]
        self.order_fields(order + [f for f in self.fields if f not in order])


class EventSettingsForm(_EventFieldsForm):
    """The "Event settings" page (events.services.event_settings_update)."""

    status = forms.ChoiceField(
        choices=Event.Status.choices,
        widget=forms.RadioSelect,
        help_text="A draft answers “Page not found” to everyone without a role in the event.",
    )
    programme_published = forms.BooleanField(
        label="The programme is published",
        required=False,
        help_text="While off, only the event's team sees the programme and its sessions.",
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        help_text="Shown to attendees on the event page, the privacy notice and the "
        "accessibility statement.",
    )
    privacy_notice = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Leave it empty to show Convene's standard privacy notice.",
    )
    accessibility_statement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Leave it empty to show Convene's standard accessibility statement.",
    )

    FIELDS = [
        "title", "start_date", "end_date", "time_zone", "format", "strapline", "description",
        "hashtags", "status", "programme_published", "contact_email", "privacy_notice",
        "accessibility_statement",
    ]  # fmt: skip

    def __init__(self, *args, event: Event, **kwargs) -> None:
        kwargs.setdefault("initial", {name: getattr(event, name) for name in self.FIELDS})
        super().__init__(*args, current_zone=event.time_zone, **kwargs)


class EventCopyForm(_SlugMixin, forms.Form):
    """Copy an event (events.services.event_copy)."""

    source = forms.ModelChoiceField(
        label="Copy this event",
        queryset=Event.objects.none(),
        empty_label="Choose an event",
        help_text="One you organise.",
    )
    title = forms.CharField(
        label="Title of the new event", max_length=Event._meta.get_field("title").max_length
    )
    start_date = forms.DateField(label="First day", widget=_DATE)
    end_date = forms.DateField(
        label="Last day",
        widget=_DATE,
        required=False,
        help_text="Leave it empty for as many days as the earlier event.",
    )
    with_sessions = forms.BooleanField(
        label="Copy the sessions too, moved to the new dates",
        required=False,
        help_text=(
            "Each session keeps its time of day and its place in the event (the second "
            "day stays the second day), with its hosts, room, track and places. Join "
            "links are not copied: add each session's new link. Cancelled sessions are "
            "left out."
        ),
    )

    def __init__(self, *args, sources: QuerySet[Event], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["slug"] = self._slug_field()
        order = ["source", "title", "slug", "start_date", "end_date", "with_sessions"]
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        source, start = cleaned.get("source"), cleaned.get("start_date")
        if start is not None and source is not None and cleaned.get("end_date") is None:
            cleaned["end_date"] = start + timedelta(days=(source.end_date - source.start_date).days)
        end = cleaned.get("end_date")
        for name, message in event_dates_errors(start, end).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class PeopleSearchForm(forms.Form):
    """The "Who may create events" page's search for someone to allow."""

    q = forms.CharField(
        label="Find a person by name or email address",
        max_length=200,
        required=False,
        help_text="They need an account: people create one with “Create an account”.",
    )
