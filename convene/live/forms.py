from django import forms

from convene.live.models import LiveSettings, Room


class LiveSettingsForm(forms.ModelForm):
    class Meta:
        model = LiveSettings
        fields = ["read_access", "retention_days"]
        widgets = {"read_access": forms.RadioSelect}


class RoomSettingsForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["read_access"]
        widgets = {"read_access": forms.RadioSelect}

    def __init__(self, *args, event_default: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["read_access"]
        field.choices = [("", f"As the event's setting ({event_default})"), *field.choices[1:]]
        field.required = False
