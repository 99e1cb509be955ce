"""Form rendering in NHS.UK frontend markup for every Django form (allauth's too).

`settings.FORM_RENDERER` names `NHSFormRenderer`. It renders each form with
`forms/form.html` and each field with `forms/field.html` (label, hint, error
message, widget); the widget templates in `django/forms/widgets/` add the
NHS.UK classes (`nhsuk-input`, `nhsuk-textarea`, `nhsuk-select`, checkboxes
and radios). `NHSBoundField` adds the error modifier a widget needs
(`nhsuk-input--error` ...), which a widget template cannot know by itself.
"""

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


def error_class_for(widget: widgets.Widget) -> str:
    """The NHS.UK error modifier for a widget; checkboxes, radios and file
    inputs have none (the form group's red bar marks them)."""
    if isinstance(widget, (widgets.CheckboxInput, widgets.RadioSelect, widgets.FileInput)):
        return ""
    if isinstance(widget, widgets.Select):
        return "nhsuk-select--error"
    if isinstance(widget, widgets.Textarea):
        return "nhsuk-textarea--error"
    if isinstance(widget, widgets.Input):
        return "nhsuk-input--error"
    return ""


class NHSBoundField(BoundField):
    """A bound field that knows the NHS.UK error state and error-summary target."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            css_class = error_class_for(widget)
            if css_class:
                existing = attrs.get("class") or widget.attrs.get("class", "")
                attrs["class"] = f"{existing} {css_class}".strip()
        return attrs

    @property
    def error_summary_target(self) -> str:
        """The id an error-summary link points at: the input, or the first of several."""
        widget, auto_id = self.field.widget, self.auto_id
        if not auto_id:
            return self.html_name
        if isinstance(widget, widgets.ChoiceWidget) and self.use_fieldset:
            # Radios and checkboxes: the first option, if there is one.
            subwidgets = self.subwidgets
            return subwidgets[0].id_for_label if subwidgets else auto_id
        if isinstance(widget, widgets.MultiWidget):
            return f"{auto_id}_0"  # MultiWidget numbers its parts' ids
        return widget.id_for_label(auto_id) or auto_id


class NHSFormRenderer(TemplatesSetting):
    """Looks up form templates through TEMPLATES, so ours override Django's."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = NHSBoundField
