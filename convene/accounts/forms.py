from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm, SignupForm
from allauth.core import ratelimit
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.text import capfirst

from convene.accounts.models import User

DELETE_PHRASE = "delete my account"
# ACCOUNT_RATE_LIMITS entry: wrong passwords for one account from one IP.
FROM_IP = "login_failed_from_ip"


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
    """allauth's sign-in form with our wording (settings.ACCOUNT_FORMS), and our
    limit on wrong passwords for one account from one IP.

    allauth counts wrong passwords per IP and per account (settings
    ACCOUNT_RATE_LIMITS "login_failed"); its per-account limit is the loose one,
    so that someone guessing from elsewhere cannot lock the owner out. The tight
    one, "login_failed_from_ip", counts one account from one IP and is ours
    (docs/decisions/0010).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
            self.fields["remember"].help_text = "Do not tick this on a shared computer."

    def clean(self):
        login, password = self.cleaned_data.get("login"), self.cleaned_data.get("password")
        if self._errors or not (login and password):
            return super().clean()
        adapter = get_adapter(self.request)
        key = f"{login.lower()}:{adapter.get_client_ip(self.request)}"
        if not ratelimit.consume(self.request, action=FROM_IP, key=key, dry_run=True):
            raise adapter.validation_error("too_many_login_attempts")
        try:
            return super().clean()
        except forms.ValidationError:
            # Only failures count: checked above, recorded here. (allauth's own
            # per-IP limit, taken before the password is checked, bounds bursts.)
            ratelimit.consume(self.request, action=FROM_IP, key=key)
            raise


class SignUpForm(SignupForm):
    """allauth's sign-up form, doing the same work whether or not the address
    already has an account (settings.ACCOUNT_FORMS).

    allauth answers both the same way (the same page, one email:
    ACCOUNT_PREVENT_ENUMERATION), but only a new account cost a password hash,
    about 0.3 s: the time taken told who has an account. The password is hashed
    either way.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])  # thrown away: the same work
        return super().try_save(request)
