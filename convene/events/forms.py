from django import forms

from convene.core import timezones
from convene.events.models import Session


class ZoneField(forms.CharField):
    """A time zone by name: any the database knows, given back as the name lists use.

    Lists offer only canonical zones, but a browser may report an alias
    (`Asia/Calcutta`) and a link may carry a fixed offset (`Etc/GMT+12`).
    """

    default_error_messages = {"invalid": "Choose a time zone from the list"}

    def to_python(self, value: object) -> str:
        name = super().to_python(value)
        if not name:
            return ""
        zone = timezones.canonical(name)
        if zone is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return zone


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of session",
        required=False,
        choices=[("", "All types"), *Session.Kind.choices],
    )
    tz = ZoneField(label="Show times in", required=False, max_length=64)
