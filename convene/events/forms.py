from django import forms

from convene.events.models import Session


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of session",
        required=False,
        choices=[("", "All types"), *Session.Kind.choices],
    )
