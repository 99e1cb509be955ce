"""The event's team: /orga/<event>/team/ (everyone with a role, the sessions they host,
invitations waiting for an answer) and the link an invited person accepts
(/team-invitations/<token>/).

The organiser pages need `events.change_event` (an organiser of that event, or a
superuser: `organiser_view`). Accepting needs `events.accept_team_invitation`: the
invited address is the signed-in person's own; anyone else signed in gets a 403 page
naming that address, anonymous visitors are sent to sign in (or sign up) and come
back (docs/decisions/0026-team-and-roles.md). Views parse forms and call
events.services; GET never changes anything.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from convene.accounts.models import User
from convene.core.permissions import rule_required
from convene.events import selectors, services
from convene.events.access import organiser_view
from convene.events.models import Event, EventRole, TeamInvitation
from convene.events.orga_forms import RoleChangeForm, TeamInviteForm


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _role_name(role: str) -> str:
    return str(EventRole.Role(role).label).lower()


def _team_url(event: Event) -> str:
    return reverse("events:orga_team", kwargs={"event": event.slug})


def _team_page(
    request: HttpRequest,
    event: Event,
    *,
    invite_form: TeamInviteForm | None = None,
    role_form: RoleChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    team = selectors.team_for_event(event=event)
    context = {
        "event": event,
        "orga_section": "team",
        "team": team,
        "organisers": sum(EventRole.Role.ORGANISER in m.roles for m in team.members),
        "roles": [
            (value, label, EventRole.DESCRIPTIONS.get(value, ""))
            for value, label in EventRole.Role.choices
        ],
        "invite_form": invite_form or TeamInviteForm(),
        "role_form": role_form,
        "most_sends": services.TEAM_INVITATION_SENDS,
        "days": settings.TEAM_INVITATION_DAYS,
    }
    return render(request, "events/orga/team.html", context, status=status)


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def team(request: HttpRequest, event: Event) -> HttpResponse:
    """The team page; its form invites someone by email (POST)."""
    form = TeamInviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            invitation = services.team_invite(
                event=event,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} to be "
                f"{_article(_role_name(invitation.role))}.",
                extra_tags="banner",
            )
            return redirect(_team_url(event))
    return _team_page(request, event, invite_form=form, status=400 if form.errors else 200)


def _role_change(request: HttpRequest, event: Event, *, add: bool) -> HttpResponse:
    form = RoleChangeForm(request.POST)
    person = None
    if form.is_valid():
        person = selectors.team_member(event=event, user_id=form.cleaned_data["person"])
        if person is None:
            form.add_error("person", "Choose someone listed on the team page.")
    if person is not None and not form.errors:
        role = form.cleaned_data["role"]
        change = services.role_add if add else services.role_remove
        try:
            change(event=event, user=person, role=role, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _role_changed(request, event, person, role, add=add)
    return _team_page(request, event, role_form=form, status=400)


def _role_changed(
    request: HttpRequest, event: Event, person: User, role: str, *, add: bool
) -> HttpResponse:
    name = _article(_role_name(role))
    if add:
        messages.success(request, f"{person} is now {name} of this event.", extra_tags="banner")
        return redirect(_team_url(event))
    text = f"{person} is no longer {name} of this event."
    hosting = person.hosting.filter(session__event=event).count()
    if role == EventRole.Role.HOST and hosting:
        text += (
            f" They are still listed on {hosting} session{'s' if hosting > 1 else ''}:"
            " remove them on each session's page to take them off the programme."
        )
    messages.success(request, text, extra_tags="banner")
    if person.pk == request.user.pk and role == EventRole.Role.ORGANISER:
        return redirect("events:home")  # this page is for organisers only
    return redirect(_team_url(event))


@organiser_view
@require_POST
def team_role_add(request: HttpRequest, event: Event) -> HttpResponse:
    """Give someone on the team page another role."""
    return _role_change(request, event, add=True)


@organiser_view
@require_POST
def team_role_remove(request: HttpRequest, event: Event) -> HttpResponse:
    """Take a role away (never the last organiser's: services.role_remove)."""
    return _role_change(request, event, add=False)


def _invitation_action(
    request: HttpRequest, event: Event, pk: int, *, resend: bool
) -> HttpResponse:
    invitation = selectors.team_invitation(event=event, pk=pk)
    try:
        if resend:
            services.team_invitation_resend(invitation=invitation, by=request.user)
        else:
            services.team_invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = "sent again to" if resend else "revoked:"
        messages.success(request, f"Invitation {done} {invitation.email}.", extra_tags="banner")
    return redirect(f"{_team_url(event)}#invitations")


@organiser_view
@require_POST
def team_invitation_resend(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return _invitation_action(request, event, pk, resend=True)


@organiser_view
@require_POST
def team_invitation_revoke(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return _invitation_action(request, event, pk, resend=False)


# --- The invited person's page ---------------------------------------------------------


def team_invitation_for(request: HttpRequest, token: str) -> TeamInvitation:
    """The invitation the link names (404 for a bad or unknown link). Not
    `event_for`: the invited person may have no right to see a draft event yet."""
    return selectors.team_invitation_by_token(token)


def _wrong_address(request: HttpRequest, invitation: TeamInvitation) -> HttpResponse:
    """The 403 page for someone signed in with another address: it names the invited
    one, as the host invitation's page does (whoever has the link read that email)."""
    return render(
        request,
        "events/team_invitation_refused.html",
        {"invitation": invitation, "event": invitation.event},
        status=403,
    )


def _state(invitation: TeamInvitation, user: User) -> str:
    if invitation.is_accepted:
        return "accepted" if invitation.accepted_by_id == user.pk else "taken"
    if invitation.is_revoked:
        return "revoked"
    if invitation.is_expired:
        return "expired"
    return "open"


def _landing(event: Event, role: str) -> str:
    if role == EventRole.Role.ORGANISER:
        return reverse("events:orga_grid", kwargs={"event": event.slug})
    return event.get_absolute_url()


@rule_required("events.accept_team_invitation", load=team_invitation_for, refusal=_wrong_address)
@require_http_methods(["GET", "HEAD", "POST"])
def team_invitation(request: HttpRequest, invitation: TeamInvitation) -> HttpResponse:
    """Accept an invitation to the event's team: GET shows it, the button POSTs."""
    event = invitation.event
    state = _state(invitation, request.user)
    if request.method == "POST" and state in {"open", "accepted"}:
        try:
            services.team_invitation_accept(invitation=invitation, user=request.user)
        except PermissionDenied:
            return _wrong_address(request, invitation)
        except ValidationError as exc:
            # Revoked or expired between the page and the button, or a role taken away
            # since it was accepted: say which.
            messages.error(request, " ".join(exc.messages))
            invitation.refresh_from_db()
            state = _state(invitation, request.user)
        else:
            name = _article(_role_name(invitation.role))
            if state == "accepted":
                messages.info(request, f"You had already accepted: you are {name} of {event}.")
            else:
                messages.success(request, f"You are now {name} of {event}.", extra_tags="banner")
            return redirect(_landing(event, invitation.role))
    return render(
        request,
        "events/team_invitation.html",
        {
            "invitation": invitation,
            "event": event,
            "state": state,
            "role": _role_name(invitation.role),
            "role_article": _article(_role_name(invitation.role)),
            "landing": _landing(event, invitation.role),
        },
        status=200 if state in {"open", "accepted"} else 410,
    )
