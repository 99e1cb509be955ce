"""Forms of the organiser area. Times are typed as wall-clock times in the
event's zone and converted to UTC here (see convene.core.timeutil)."""

from datetime import date, datetime, timedelta

from django import forms

from convene.core import audit
from convene.core.timeutil import NonExistentTimeError, aware, in_zone
from convene.events.dates import session_window
from convene.events.models import Event, EventRole, Host, Session, Track


def _event_days(event: Event) -> list[date]:
    days, day = [], event.start_date
    while day <= event.end_date:
        days.append(day)
        day += timedelta(days=1)
    return days


class _TimesMixin:
    """Adds day / start / end fields and turns them into aware `start` and `end`."""

    def _add_time_fields(self, event: Event, start: datetime | None, end: datetime | None):
        self.event = event
        self.fields["day"] = forms.DateField(
            label="Day",
            help_text="Usually one of the event's days.",
            # type=date needs ISO values (YYYY-MM-DD), whatever the language.
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        self.fields["start_time"] = forms.TimeField(
            label="Starts at",
            help_text=f"24-hour clock, {event.time_zone} time, for example 10:20.",
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )
        self.fields["end_time"] = forms.TimeField(
            label="Ends at",
            help_text="An end time earlier than the start means the next day.",
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )
        if start and end:
            local_start, local_end = in_zone(start, event.tz), in_zone(end, event.tz)
            self.initial.setdefault("day", local_start.date())
            self.initial.setdefault("start_time", local_start.time().replace(second=0))
            self.initial.setdefault("end_time", local_end.time().replace(second=0))
        else:
            self.initial.setdefault("day", event.start_date)

    def _clean_times(self, cleaned: dict) -> dict:
        day, start_at, end_at = (cleaned.get(k) for k in ("day", "start_time", "end_time"))
        if day is None or start_at is None or end_at is None:
            return cleaned
        window = session_window(self.event)
        # Checked first: only then is the day far enough from year 9999 to add one to it.
        if not window.allows_day(day):
            self.add_error("day", window.message)
            return cleaned
        if end_at == start_at:
            self.add_error("end_time", "The session must end after it starts.")
            return cleaned
        try:
            start = aware(day, start_at, self.event.tz)
        except NonExistentTimeError as exc:
            self.add_error("start_time", str(exc))
            return cleaned
        end_day = day if end_at > start_at else day + timedelta(days=1)
        try:
            end = aware(end_day, end_at, self.event.tz)
        except NonExistentTimeError as exc:
            self.add_error("end_time", str(exc))
            return cleaned
        if end <= start:
            self.add_error("end_time", "The session must end after it starts.")
            return cleaned
        if not window.allows_end(end):
            self.add_error("end_time", window.message)
            return cleaned
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


class SessionForm(_TimesMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "title",
            "kind",
            "summary",
            "description",
            "room",
            "track",
            "type_name",
            "do_not_record",
            "join_provider",
            "join_url",
            "hashtags",
            "capacity",
        ]
        help_texts = {
            "summary": "One or two sentences for the programme.",
            "description": "Markdown: **bold**, *italic*, [links](https://…), lists.",
            "join_url": "The Teams, Zoom or other link people use to join.",
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = event.rooms.all()
        self.fields["room"].required = False
        self.fields["track"].queryset = event.tracks.all()
        self.fields["track"].required = False
        instance = self.instance if self.instance.pk else None
        self._add_time_fields(event, instance and instance.start, instance and instance.end)
        # Show times right after the title and kind.
        order = ["title", "kind", "day", "start_time", "end_time"]
        self.order_fields(order + [f for f in self.fields if f not in order])

    def clean(self):
        return self._clean_times(super().clean())

    def session_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["start"], data["end"] = self.cleaned_data["start"], self.cleaned_data["end"]
        return data


class MoveForm(_TimesMixin, forms.Form):
    """The grid's move action: another day, time or room."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["room"] = forms.ModelChoiceField(
            queryset=session.event.rooms.all(),
            required=False,
            empty_label="No room",
            initial=session.room_id,
        )
        self._add_time_fields(session.event, session.start, session.end)

    def clean(self):
        return self._clean_times(super().clean())


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name"]


class HostForm(forms.Form):
    guest_name = forms.CharField(
        label="Name", max_length=150, help_text="As it should appear in the programme."
    )
    role = forms.ChoiceField(choices=Host.Role.choices, initial=Host.Role.HOST)
    organisation = forms.CharField(max_length=200, required=False)
    social_handle = forms.CharField(
        max_length=60, required=False, help_text="For example @SladenJoe"
    )
    bio = forms.CharField(label="Short bio", max_length=1000, required=False, widget=forms.Textarea)


class InviteHostForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We send them a link. They accept by signing in with this address.",
    )
    role = forms.ChoiceField(choices=Host.Role.choices, initial=Host.Role.CO_HOST)


class TeamInviteForm(forms.Form):
    """Invite someone to the event's team (events.services.team_invite)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We email them a link. They accept by signing in with this address.",
    )
    role = forms.ChoiceField(label="Role", choices=EventRole.Role.choices, widget=forms.RadioSelect)


class RoleChangeForm(forms.Form):
    """Give or take away one role of someone on the team page (hidden fields and a
    role in each row of the team table)."""

    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label="Role", choices=EventRole.Role.choices)


class AuditFilterForm(forms.Form):
    """The organiser's filters of the event's activity log (core.audit)."""

    person = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Person")
    kind = forms.ChoiceField(required=False, label="What was done")

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", "Everyone"),
            *audit.actors_for_event(event_id=event.pk),
        ]
        self.fields["kind"].choices = [
            ("", "Anything"),
            *[(a.code, a.label) for a in audit.actions()],
        ]
