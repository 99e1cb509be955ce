"""Setting events up in the organiser area (docs/decisions/0025): create an event, copy
one, the event's settings, and the superusers' page of who may create events.

Rules, with the one refusal policy (docs/decisions/0018): creating and copying
name `events.create_event` (superusers, and people a superuser allowed), whose
refusal page says whom to ask; the list of who may create events names
`accounts.manage_event_creators` (superusers); the settings page is an
organiser page (`organiser_view`: `events.change_event`). Views are thin: they
parse forms and call the services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from convene.accounts import selectors as accounts_selectors
from convene.accounts import services as accounts_services
from convene.accounts.models import User
from convene.core.params import whole_number
from convene.core.permissions import rule_required
from convene.events import extensions, services
from convene.events.access import organiser_view
from convene.events.models import Event, EventRole
from convene.events.setup_forms import (
    EventCopyForm,
    EventCreateForm,
    EventSettingsForm,
    PeopleSearchForm,
)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the form has
    that field, else above the form (never the ValueError `add_error` raises)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def nothing(request: HttpRequest) -> None:
    """The loader of a page about no one thing (rule_required asks the rule about None)."""


def not_allowed(request: HttpRequest, thing: object) -> HttpResponse:
    """The 403 for a signed-in person who may not create events: whom to ask."""
    return render(request, "events/setup/not_allowed.html", status=403)


creator_view = rule_required("events.create_event", load=nothing, refusal=not_allowed)
superuser_view = rule_required("accounts.manage_event_creators", load=nothing)


def copy_sources(user) -> QuerySet[Event]:
    """The events a person may copy: those they organise (every event, for superusers)."""
    if user.is_superuser:
        return Event.objects.order_by("-start_date", "title")
    return Event.objects.filter(roles__user=user, roles__role=EventRole.Role.ORGANISER).order_by(
        "-start_date", "title"
    )


def _created(request: HttpRequest, event: Event, what: str) -> HttpResponse:
    messages.success(
        request,
        f"{what} It is a draft: only its team can see it. Check its settings and "
        "programme, then publish it here.",
        extra_tags="banner",
    )
    return redirect("events:orga_settings", event=event.slug)


@creator_view
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request: HttpRequest, _: None) -> HttpResponse:
    form = EventCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _created(request, event, f"“{event.title}” is created and you organise it.")
    return render(
        request,
        "events/setup/create.html",
        {
            "form": form,
            "setup_section": "create",
            "can_copy": copy_sources(request.user).exists(),
        },
        status=400 if form.errors else 200,
    )


@creator_view
@require_http_methods(["GET", "HEAD", "POST"])
def event_copy(request: HttpRequest, _: None) -> HttpResponse:
    sources = copy_sources(request.user)
    initial = {}
    if request.method != "POST" and (slug := request.GET.get("from")):
        initial["source"] = sources.filter(slug=slug).first()
    form = EventCopyForm(request.POST or None, sources=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_copy(
                source=data["source"],
                by=request.user,
                title=data["title"],
                slug=data["slug"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                with_sessions=data["with_sessions"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _created(
                request, event, f"“{event.title}” is created from “{data['source'].title}”."
            )
    return render(
        request,
        "events/setup/copy.html",
        {"form": form, "setup_section": "copy"},
        status=400 if form.errors else 200,
    )


@superuser_view
@require_http_methods(["GET", "HEAD", "POST"])
def event_creators(request: HttpRequest, _: None) -> HttpResponse:
    """Who may create events: the list, a search to allow someone, withdraw buttons."""
    if request.method == "POST":
        person = get_object_or_404(
            User, pk=whole_number(request.POST.get("person")) or 0, is_active=True
        )
        allowed = request.POST.get("allowed") == "yes"
        accounts_services.user_event_creation_set(user=person, allowed=allowed, by=request.user)
        messages.success(
            request,
            f"{person.name or person.email} can now create events."
            if allowed
            else f"{person.name or person.email} can no longer create new events. "
            "The events they organise stay theirs.",
        )
        return redirect(reverse("events:event_creators"))
    form = PeopleSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "events/setup/creators.html",
        {
            "form": form,
            "setup_section": "creators",
            "query": query,
            "creators": list(accounts_selectors.event_creators()),
            "administrators": list(accounts_selectors.site_administrators()),
            "found": accounts_selectors.people_to_allow(query=query),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def event_settings(request: HttpRequest, event: Event) -> HttpResponse:
    form = EventSettingsForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_settings_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Event settings saved.", extra_tags="banner")
            return redirect("events:orga_settings", event=event.slug)
    # Each piece is HTML an app rendered from its own (escaped) parts.
    sections = [
        (title, mark_safe(html))  # noqa: S308
        for title, html in extensions.settings_sections(request, event)
    ]
    return render(
        request,
        "events/orga/settings.html",
        {"event": event, "orga_section": "settings", "form": form, "sections": sections},
        status=400 if form.errors else 200,
    )
