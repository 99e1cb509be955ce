"""Registering, confirming, booking, starring, joining, the agenda and the calendar feed.

Views are thin: each names its rule, parses input and calls a service. Writes
are POST only; every refusal says why and changes nothing.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convene.attendance import rules, selectors, services, tokens
from convene.attendance.forms import (
    EmailChoicesForm,
    RegistrationForm,
    SignedInRegistrationForm,
)
from convene.attendance.links import join_address
from convene.attendance.models import Attendance, Booking, Registration
from convene.core.links import absolute_url
from convene.core.permissions import require_or_404
from convene.events import calendars
from convene.events.models import Event, Session

FEED_REFRESH = timedelta(hours=1)
# Public writes that send email: at most this many per address (IP) an hour.
REGISTRATION_RATE = 10


def _event(slug: str, user) -> Event:
    event = get_object_or_404(Event, slug=slug)
    require_or_404(user, "attendance.register", event)
    return event


def _session(pk: int, user, perm: str) -> Session:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    require_or_404(user, "events.view_session", session)
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.has_perm(perm, session):
        raise PermissionDenied
    return session


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _rate_limited(request: HttpRequest) -> bool:
    key = f"attendance:register:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 60 * 60)
    try:
        return cache.incr(key) > REGISTRATION_RATE
    except ValueError:  # expired between add and incr
        return False


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: attendance.register (anyone who can see the programme). While
    registration is closed (rules.registration_closed) the page says so instead
    of showing the form; a form sent anyway is refused with the same message."""
    event_obj = _event(event, request.user)
    registration = selectors.registration_for(user=request.user, event=event_obj)
    closed = rules.registration_closed(event_obj)
    if closed:
        refused = request.method == "POST"
        return render(
            request,
            "attendance/register.html",
            {
                "event": event_obj,
                "registration": registration,
                "closed": closed,
                "refused": refused,
            },
            status=400 if refused else 200,
        )
    if request.user.is_authenticated:
        form = SignedInRegistrationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.registration_create(
                    event=event_obj, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"You are registered for {event_obj.title}. We have emailed you the details.",
                    extra_tags="banner",
                )
                return redirect(_back(request, event_obj.get_absolute_url()))
    else:
        form = RegistrationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if _rate_limited(request):
                return render(
                    request, "attendance/rate_limited.html", {"event": event_obj}, status=429
                )
            try:
                services.registration_request(
                    event=event_obj, email=form.cleaned_data["email"], **form.details()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session["attendance_sent_to"] = form.cleaned_data["email"]
                return redirect("attendance:register_sent", event=event_obj.slug)
    return render(
        request,
        "attendance/register.html",
        {"event": event_obj, "form": form, "registration": registration},
        status=400 if form.errors else 200,
    )


@require_safe
def register_sent(request: HttpRequest, event: str) -> HttpResponse:
    event_obj = _event(event, request.user)
    return render(
        request,
        "attendance/register_sent.html",
        {"event": event_obj, "email": request.session.get("attendance_sent_to", "")},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Rule: the signed token in the emailed link (the latest one sent). GET asks,
    POST confirms (mail scanners that open links must not confirm for the person).
    A link used before says so and signs nobody in (docs/decisions/0010)."""
    try:
        registration, fresh = tokens.registration_from_token(token)
    except ValidationError as exc:
        return render(
            request, "attendance/confirm.html", {"error": " ".join(exc.messages)}, status=400
        )
    # The page says "already confirmed" for a registration that is.
    if registration.is_confirmed or request.method != "POST":
        return render(request, "attendance/confirm.html", {"registration": registration})
    registration, user, confirmed_now = services.registration_confirm(registration=registration)
    if not confirmed_now:  # another browser used the link a moment ago
        return render(request, "attendance/confirm.html", {"registration": registration})
    # Opening the link proves the address: the first time, within the hour, it
    # signs in a person who has no other key. Accounts with a password (or
    # staff) sign in the usual way.
    if (
        fresh
        and not request.user.is_authenticated
        and not user.has_usable_password()
        and not user.is_staff
    ):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Thank you: you are registered for {registration.event.title}.")
    if request.user.is_authenticated:
        return redirect("attendance:agenda")
    return redirect_to_login(reverse("attendance:agenda"))


@require_POST
def cancel_registration(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: attendance.manage_own_registration; acts on request.user's registration only."""
    event_obj = get_object_or_404(Event, slug=event)
    if not request.user.has_perm("attendance.manage_own_registration"):
        return redirect_to_login(request.get_full_path())
    registration = selectors.registration_for(user=request.user, event=event_obj)
    if registration is None:
        messages.error(request, "You are not registered for this event.")
    else:
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Your registration for {event_obj.title} is cancelled.")
    return redirect(_back(request, reverse("attendance:agenda")))


@require_POST
def book(request: HttpRequest, session: int) -> HttpResponse:
    """Rule: attendance.book_session. Books a place, or a place on the waiting list."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    session_obj = _session(session, request.user, "attendance.book_session")
    registration = selectors.registration_for(user=request.user, event=session_obj.event)
    try:
        if registration is None:
            raise ValidationError("Register for the event before you book a session.")
        booking = services.booking_create(registration=registration, session=session_obj)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if booking.state == Booking.State.BOOKED:
            messages.success(request, f"You have a place in “{session_obj.title}”.")
        else:
            messages.success(
                request,
                f"“{session_obj.title}” is full: you are on the waiting list. "
                "We will email you if a place comes free.",
            )
    return redirect(_back(request, session_obj.get_absolute_url()))


@require_POST
def cancel_booking(request: HttpRequest, session: int) -> HttpResponse:
    """Rule: attendance.book_session; only the person's own booking."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    session_obj = _session(session, request.user, "attendance.book_session")
    booking = Booking.objects.filter(session=session_obj, registration__user=request.user).first()
    try:
        if booking is None:
            raise ValidationError("You have not booked this session.")
        was_waiting = booking.state == Booking.State.WAITING
        services.booking_cancel(booking=booking)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            "You have left the waiting list." if was_waiting else "Your place is cancelled.",
        )
    return redirect(_back(request, session_obj.get_absolute_url()))


@require_POST
def star(request: HttpRequest, session: int) -> HttpResponse:
    """Rule: attendance.star_session. The button says star or unstar."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    session_obj = _session(session, request.user, "attendance.star_session")
    if request.POST.get("star") == "no":
        services.star_remove(user=request.user, session=session_obj)
        messages.success(request, f"“{session_obj.title}” is no longer starred.")
    else:
        services.star_add(user=request.user, session=session_obj)
        messages.success(request, f"“{session_obj.title}” is starred: it is in your agenda.")
    return redirect(_back(request, session_obj.get_absolute_url()))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, session: int) -> HttpResponse:
    """Rule: may_join (attendance/rules.py). GET is the join page: a "Join now"
    button, and nothing recorded (another site can make a browser GET any
    address). The button POSTs, CSRF-checked: that records attendance and sends
    the person to the session's join link. Anyone the rule refuses goes back to
    the session page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    session_obj = get_object_or_404(Session.objects.select_related("event"), pk=session)
    require_or_404(request.user, "events.view_session", session_obj)
    state = selectors.join_state(user=request.user, session=session_obj)
    if not state.may_join:
        messages.error(
            request, "The join link is not open to you now. This page says when it opens."
        )
        return redirect(session_obj.get_absolute_url())
    if request.method != "POST":
        return render(
            request, "attendance/join.html", {"session": session_obj, "event": session_obj.event}
        )
    services.attendance_record_join(
        session=session_obj, user=request.user, source=Attendance.Source.JOIN_LINK
    )
    return redirect(session_obj.join_url)


@never_cache
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    """Rule: attendance.view_agenda (signed in); only the person's own agenda."""
    if not request.user.has_perm("attendance.view_agenda"):
        return redirect_to_login(request.get_full_path())
    registrations, items = selectors.agenda_for(user=request.user)
    link = selectors.calendar_link_for(user=request.user)
    feed_url = (
        absolute_url(reverse("attendance:feed", kwargs={"token": link.token})) if link else ""
    )
    return render(
        request,
        "attendance/agenda.html",
        {"registrations": registrations, "items": items, "feed_url": feed_url},
    )


@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Rule: attendance.view_agenda. Makes the personal feed URL, or replaces it."""
    if not request.user.has_perm("attendance.view_agenda"):
        return redirect_to_login(reverse("attendance:agenda"))
    if request.POST.get("reset") == "yes":
        services.calendar_link_reset(user=request.user)
        messages.success(request, "Your calendar link is new. The old one no longer works.")
    else:
        services.calendar_link_get_or_create(user=request.user)
        messages.success(request, "Your calendar link is ready.")
    return redirect(reverse("attendance:agenda") + "#calendar")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Rule: the secret token (revocable). Starred and booked sessions; Convene's
    join address for sessions where the person holds a place."""
    user = selectors.user_by_calendar_token(token)
    if user is None:
        return HttpResponse(
            "This calendar link is no longer valid.", status=404, content_type="text/plain"
        )
    sessions, joinable = selectors.feed_sessions(user=user)
    body = calendars.calendar_for_sessions(
        sessions,
        name=f"My agenda – {user.name or user.email}",
        join_links={s.pk: join_address(s) for s in sessions if s.pk in joinable},
        refresh=FEED_REFRESH,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # RFC 8058 one-click: the mail provider posts without a cookie; the token authorises.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Rule: the signed token from the email. GET asks; POST (from the page or the
    mail provider's one-click) stops reminders and recording emails."""
    try:
        registration = tokens.registration_from_unsubscribe_token(token)
    except ValidationError as exc:
        return render(
            request, "attendance/unsubscribe.html", {"error": " ".join(exc.messages)}, status=400
        )
    done = False
    if request.method == "POST":
        services.registration_unsubscribe(registration=registration)
        done = True
    return render(
        request, "attendance/unsubscribe.html", {"registration": registration, "done": done}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def email_choices(request: HttpRequest, registration: int) -> HttpResponse:
    """Rule: attendance.change_registration (the registration's own person; a 404
    for anyone else). The event page and the profile post here; GET shows the
    form on its own page, which is also where it comes back with errors."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registration_obj = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration
    )
    require_or_404(request.user, "attendance.change_registration", registration_obj)
    event = registration_obj.event
    back = _back(request, event.get_absolute_url())
    form = EmailChoicesForm(
        request.POST if request.method == "POST" else None, registration=registration_obj
    )
    if form.is_valid():
        try:
            services.registration_update_preferences(
                registration=registration_obj, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if form.cleaned_data["email_consent"]:
                messages.success(request, f"You will get reminders for {event.title}.")
            else:
                messages.success(
                    request,
                    f"You will get no reminders for {event.title}. "
                    "Emails about your registration still come.",
                )
            return redirect(back)
    return render(
        request,
        "attendance/email_choices.html",
        {"registration": registration_obj, "event": event, "form": form, "next": back},
        status=400 if form.errors else 200,
    )
