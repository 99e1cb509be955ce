"""`{% error_summary form %}`: the NHS.UK error summary at the top of a page.

NHS.UK puts the error summary first in the main content, above the h1. A page
calls this tag there; the form's own template (forms/form.html) then leaves
the summary out, so it appears once. Without the tag the form shows it itself.
"""

from django import template
from django.forms import BaseForm
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def error_summary(form: object) -> SafeString:
    if not isinstance(form, BaseForm) or not form.is_bound or not form.errors:
        return SafeString("")
    form.error_summary_shown = True  # type: ignore[attr-defined]
    return render_to_string("forms/error_summary.html", {"form": form})
