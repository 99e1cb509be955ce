from django import forms

from convene.events.interchange.checks import MAX_BYTES, too_large


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label="Schedule file",
        help_text=(
            "The JSON or XML schedule exported from pretalx or frab (schedule.json or "
            f"schedule.xml), up to {MAX_BYTES // 1024 // 1024} MB."
        ),
        error_messages={
            "required": "Select a schedule file to import",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload
