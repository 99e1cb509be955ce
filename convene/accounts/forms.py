from django import forms

from convene.accounts.models import User


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
            "pronouns": "Optional. For example she/her, they/them.",
        }


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label='Type "delete my account" to confirm',
        help_text="This cannot be undone.",
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete my account":
            raise forms.ValidationError('Type "delete my account" exactly to confirm.')
        return value
