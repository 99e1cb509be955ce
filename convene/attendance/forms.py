"""Registration forms. Rendered in NHS.UK markup by the project's form renderer."""

from django import forms
from django.utils.text import capfirst

from convene.attendance.models import Registration


class RegistrationForm(forms.ModelForm):
    """For people who are not signed in: their details and their email address."""

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "organisation",
            "job_role",
            "heard_from",
            "access_needs",
            "email_consent",
        ]
        help_texts = {
            "email": "We will email you a link to confirm your registration.",
            "job_role": "For example improvement lead, nurse, patient partner.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self.fields["name"].error_messages["required"] = "Enter your full name"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["heard_from"].choices = [
            ("", "Choose one (optional)"),
            *Registration.HeardFrom.choices,
        ]

    def validate_unique(self) -> None:
        """Registering twice is handled by the service, not refused by the form."""

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "email"}


class SignedInRegistrationForm(forms.ModelForm):
    """For signed-in people: the optional extras; the rest comes from their profile."""

    class Meta:
        model = Registration
        fields = ["heard_from", "access_needs", "email_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heard_from"].choices = [
            ("", "Choose one (optional)"),
            *Registration.HeardFrom.choices,
        ]

    def validate_unique(self) -> None:
        """Registering twice is handled by the service."""


class EmailChoicesForm(forms.Form):
    """A registered person's email choices for one event (the event page and the
    profile show one each; the prefix keeps several on a page apart)."""

    email_consent = forms.BooleanField(
        label=capfirst(Registration._meta.get_field("email_consent").verbose_name),
        help_text=Registration._meta.get_field("email_consent").help_text,
        required=False,
    )

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault("initial", {"email_consent": registration.email_consent})
        super().__init__(*args, prefix=f"registration-{registration.pk}", **kwargs)
        self.registration = registration


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(
        label="Search by name, email or organisation", required=False, max_length=100
    )
    session = forms.ModelChoiceField(queryset=None, required=False, empty_label="All sessions")
    state = forms.ChoiceField(required=False, label="State")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        from convene.attendance.models import Booking

        self.fields["session"].queryset = event.sessions.exclude(kind="break").order_by("start")
        self.fields["state"].choices = [
            ("", "Any state"),
            *Registration.State.choices,
            *[(v, f"Session: {label}") for v, label in Booking.State.choices],
        ]
