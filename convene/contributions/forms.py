from typing import TYPE_CHECKING

from django import forms

from convene.contributions.models import ANSWER_MAX_LENGTH, TEXT_MAX_LENGTH, Contribution
from convene.contributions.selectors import Sort
from convene.spread import selectors as spread_selectors

if TYPE_CHECKING:  # spread is reached through its selectors (docs/architecture.md)
    from convene.spread.models import Principle


class PrincipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: "Principle") -> str:
        return obj.name


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you sharing?",
        choices=Contribution.Kind.choices,
        initial=Contribution.Kind.TIP,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Your top tip, idea or question",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {TEXT_MAX_LENGTH} characters. Everyone can read it.",
        error_messages={"required": "Write your top tip, idea or question."},
    )
    link = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A web page that tells more, for example a case study.",
        error_messages={"invalid": "Enter a web address, like https://example.org/page."},
    )
    principles = PrincipleChoiceField(
        label="Which principles for spread and adoption does it relate to? (optional)",
        queryset=spread_selectors.principles_all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        error_messages={"invalid_choice": "%(value)s is not one of the principles."},
    )
    is_anonymous = forms.BooleanField(
        label="Do not show my name to the public",
        required=False,
        help_text="The session's hosts and moderators can still see who shared it.",
    )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "link": data["link"],
            "principles": list(data["principles"]),
            "is_anonymous": data["is_anonymous"],
        }

    @classmethod
    def for_contribution(cls, contribution: Contribution, data=None) -> "ContributionForm":
        return cls(
            data,
            initial={
                "kind": contribution.kind,
                "text": contribution.text,
                "link": contribution.link,
                "principles": list(contribution.principles.all()),
                "is_anonymous": contribution.is_anonymous,
            },
        )


class BoardFilterForm(forms.Form):
    """The board's sort and filters (GET); invalid values fall back to the default."""

    sort = forms.ChoiceField(label="Sort by", choices=Sort.CHOICES, required=False)
    kind = forms.ChoiceField(
        label="Show", choices=[("", "Everything"), *Contribution.Kind.choices], required=False
    )
    principle = forms.ModelChoiceField(
        label="Principle",
        queryset=spread_selectors.principles_all(),
        to_field_name="slug",
        required=False,
        empty_label="Any principle",
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Markdown: **bold**, *italic*, lists starting with -, and links like "
            "[the guide](https://example.org). Shown on the session page once published."
        ),
        error_messages={"required": "Write the answer."},
    )
