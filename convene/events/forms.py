from django import forms

from convene.events.models import TIME_ZONE_CHOICES, Session


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of session",
        required=False,
        choices=[("", "All types"), *Session.Kind.choices],
    )
    tz = forms.ChoiceField(
        label="Show times in",
        required=False,
        choices=[("", "The event's time zone"), *TIME_ZONE_CHOICES],
    )
