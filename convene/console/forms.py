"""Forms of the organiser console. Rendered in NHS.UK markup by the project's form renderer."""

from django import forms
from django.utils import dateformat

from convene.console import selectors, services
from convene.console.extensions import RECIPIENT_GROUPS
from convene.core.timeutil import in_zone
from convene.events.models import Event, Session

ESSENTIAL, OPTIONAL = "essential", "optional"


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def label_from_instance(self, obj: Session) -> str:
        start = dateformat.format(in_zone(obj.start, self.event.tz), "D j M, H:i")
        cancelled = " (cancelled)" if obj.is_cancelled else ""
        return f"{obj.title}, {start}{cancelled}"


class GroupMessageForm(forms.Form):
    """Compose a message to a group; checked as the send service will check it."""

    group = forms.ChoiceField(label="Who is it for?", widget=forms.RadioSelect)
    sessions = forms.Field()  # replaced in __init__ (it needs the event)
    kind = forms.ChoiceField(
        label="What is it about?",
        widget=forms.RadioSelect,
        choices=[
            (
                ESSENTIAL,
                "Their booking or their part in the event: everyone in the group gets it",
            ),
            (
                OPTIONAL,
                "News or a follow-up: people who turned off optional emails do not get it",
            ),
        ],
        error_messages={"required": "Choose what the message is about."},
    )
    subject = forms.CharField(max_length=150, error_messages={"required": "Enter the subject."})
    body = forms.CharField(
        label="Message",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text. The placeholders listed below are filled in for each person.",
        error_messages={"required": "Enter the message."},
    )
    send_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["group"].choices = [(g.key, g.label) for g in RECIPIENT_GROUPS.all()]
        self.fields["group"].error_messages["required"] = "Choose who the message goes to."
        self.fields["sessions"] = SessionChoiceField(
            queryset=selectors.sessions_to_choose(event=event),
            event=event,
            required=False,
            label="Sessions",
            help_text="Only for the groups of chosen sessions.",
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if "group" not in cleaned or "subject" not in cleaned or "body" not in cleaned:
            return cleaned
        cleaned["body"] = cleaned["body"].replace("\r\n", "\n")
        cleaned["optional"] = cleaned.get("kind") == OPTIONAL
        problems = services.group_message_problems(
            event=self.event,
            group_key=cleaned["group"],
            sessions=list(cleaned.get("sessions") or []),
            subject=cleaned["subject"],
            body=cleaned["body"],
        )
        for name, sentences in problems.items():
            for sentence in sentences:
                self.add_error(name, sentence)
        return cleaned
