"""A person's own profile, data download and account deletion.

Every view requires a signed-in person (rules in accounts/rules.py) and acts
only on `request.user`: there is no id in the URL to tamper with.
"""

import copy
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from convene.accounts import extensions, selectors, services
from convene.accounts.forms import DeleteAccountForm, ProfileForm


@never_cache
@permission_required("accounts.change_own_profile")
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # The form validates a copy: a ModelForm writes its input onto its
    # instance, and bad input must not leak into request.user (the header
    # shows the name) before anything is saved.
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(request.user)
    )
    if form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "sections": extensions.profile_sections(request)},
    )


@permission_required("accounts.export_own_data")
@require_http_methods(["GET", "HEAD"])
def download_data(request: HttpRequest) -> HttpResponse:
    data = selectors.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="convene-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@permission_required("accounts.delete_own_account")
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.user_erase(user=request.user)
        logout(request)
        messages.success(request, "Your account and personal details have been deleted.")
        return redirect("events:home")
    return render(request, "accounts/delete.html", {"form": form})
