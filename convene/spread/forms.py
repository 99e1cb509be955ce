from django import forms
from django.core.validators import URLValidator

from convene.spread.models import Principle


class PrincipleForm(forms.ModelForm):
    class Meta:
        model = Principle
        fields = ["name", "heading", "summary", "sources", "is_confirmed"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "sources": forms.Textarea}

    def clean_sources(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["sources"].splitlines()]
        lines = [line for line in lines if line]
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                check(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter one web address a line, starting http:// or https:// (%(line)s).",
                    params={"line": line[:80]},
                ) from None
        if not lines:
            raise forms.ValidationError("Enter at least one source.")
        return "\n".join(lines)
