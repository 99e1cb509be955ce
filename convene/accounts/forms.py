from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.utils.text import capfirst

from convene.accounts.models import User

DELETE_PHRASE = "delete my account"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "name",
            "pronouns",
            "organisation",
            "job_role",
            "lived_experience_partner",
            "accessibility_needs",
        ]
        help_texts = {
            "name": "Shown beside what you write and on sessions you host.",
            "pronouns": "For example she/her, they/them.",
            "organisation": "For example the NHS trust, charity or company you work for.",
            "accessibility_needs": (
                "Private: only organisers of events you register for can see this, "
                "so they can make the event work for you. For example captions, "
                "breaks, or a sign language interpreter."
            ),
        }
        # autocomplete lets browsers and assistive technology fill these in
        # (WCAG 1.3.5, identify input purpose).
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "pronouns": forms.TextInput(
                attrs={"class": "nhsuk-input--width-10", "autocomplete": "off"}
            ),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "job_role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # NHS.UK error messages name the field and say how to put it right.
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{capfirst(field.label)} must be {field.max_length} characters or fewer"
                )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=f'Type "{DELETE_PHRASE}" to confirm',
        help_text="This cannot be undone.",
        error_messages={"required": f'Type "{DELETE_PHRASE}" to confirm.'},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_confirm(self) -> str:
        value = " ".join(self.cleaned_data["confirm"].split()).lower()
        if value != DELETE_PHRASE:
            raise forms.ValidationError(f'Type "{DELETE_PHRASE}" exactly to confirm.')
        return value


class SignInForm(LoginForm):
    """allauth's sign-in form with our wording (settings.ACCOUNT_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
            self.fields["remember"].help_text = "Do not tick this on a shared computer."
