"""What attendance adds to the profile page (through convene.accounts.extensions):
the email choices of each event the person is registered for."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from convene.accounts.extensions import ProfileSection
from convene.attendance import selectors
from convene.attendance.forms import EmailChoicesForm


def email_choices_section(request: HttpRequest) -> str:
    registrations = selectors.confirmed_registrations(user=request.user)
    if not registrations:
        return ""
    return render_to_string(
        "attendance/includes/profile_registrations.html",
        {
            "forms": [EmailChoicesForm(registration=r) for r in registrations],
            "next": reverse("accounts:profile") + "#event-emails",
        },
        request=request,
    )


PROFILE_SECTION = ProfileSection(key="attendance", render=email_choices_section)
