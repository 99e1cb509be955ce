"""Organiser pages for messages to groups: /orga/<event>/messages/ ...

Write (group, sessions, subject, body with placeholders, essential or
optional), preview it filled in for one real person of the group, send it;
then the sent log with how each message's emails fared. Every view is wrapped
by `organiser_view` (events/access.py): the `events.change_event` rule, the
event's organisers and superusers, with the one refusal policy.
"""

import secrets
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from convene.console import emails, placeholders, selectors, services
from convene.console.extensions import RECIPIENT_GROUPS, RecipientGroup, recipient_group
from convene.console.forms import GroupMessageForm
from convene.console.models import GroupMessage
from convene.core.params import whole_number
from convene.events.access import organiser_view
from convene.events.models import Event

SECTION = "messages"
PAGE_SIZE = 25
# The preview's list of people to show it for: the first ones by name.
PREVIEW_CHOICES = 300


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _compose(request: HttpRequest, event: Event, form: GroupMessageForm, status: int = 200):
    return render(
        request,
        "console/messages/compose.html",
        {
            "event": event,
            "orga_section": SECTION,
            "form": form,
            "placeholders": placeholders.every_placeholder(RECIPIENT_GROUPS.all()),
        },
        status=status,
    )


def _initial(request: HttpRequest, event: Event) -> dict:
    """The compose form's choices from the address (other pages link with a group and sessions)."""
    initial: dict = {}
    if recipient_group(request.GET.get("group", "")) is not None:
        initial["group"] = request.GET["group"]
    chosen = {whole_number(value) for value in request.GET.getlist("sessions")} - {None}
    if chosen:
        initial["sessions"] = list(
            selectors.sessions_to_choose(event=event)
            .filter(pk__in=chosen)
            .values_list("pk", flat=True)
        )
    return initial


def _preview(request: HttpRequest, event: Event, form: GroupMessageForm) -> HttpResponse:
    cleaned = form.cleaned_data
    group = cast(RecipientGroup, recipient_group(cleaned["group"]))  # the form checked it
    sessions = list(cleaned.get("sessions") or [])
    reached = selectors.audience(
        group=group, event=event, sessions=sessions, optional=cleaned["optional"]
    )
    if not reached.count:
        form.add_error("group", services.NOBODY)
        return _compose(request, event, form, status=400)
    chosen = request.POST.get("preview_for", "").strip().lower()
    recipient = next(
        (r for r in reached.recipients if r.email.lower() == chosen), reached.recipients[0]
    )
    draft = GroupMessage(
        event=event, subject=cleaned["subject"], body=cleaned["body"], optional=cleaned["optional"]
    )
    subject, text, _, headers = emails.render(draft, recipient, why=group.why, event=event)
    return render(
        request,
        "console/messages/preview.html",
        {
            "event": event,
            "orga_section": SECTION,
            "form": form,
            "group": group,
            "sessions": sessions,
            "optional": cleaned["optional"],
            "reached": reached,
            "people": _people(reached.count),
            "left_out": _people(reached.left_out),
            "recipient": recipient,
            "subject": subject,
            "text": text,
            "unsubscribe": bool(headers),
            "choices": reached.recipients[:PREVIEW_CHOICES],
            "more": max(reached.count - PREVIEW_CHOICES, 0),
            # A new key for each preview: the same preview sent twice sends once.
            "send_key": secrets.token_urlsafe(16),
        },
    )


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def message_new(request: HttpRequest, event: Event) -> HttpResponse:
    """Rule: events.change_event. Write (GET, or POST `action=edit`), preview
    (`action=preview`), send (`action=send`)."""
    if request.method != "POST":
        form = GroupMessageForm(event=event, initial=_initial(request, event))
        return _compose(request, event, form)
    form = GroupMessageForm(request.POST, event=event)
    action = request.POST.get("action", "preview")
    if not form.is_valid():
        return _compose(request, event, form, status=400)
    if action == "edit":
        return _compose(request, event, form)
    if action != "send":
        return _preview(request, event, form)
    cleaned = form.cleaned_data
    try:
        message = services.group_message_send(
            event=event,
            group_key=cleaned["group"],
            sessions=list(cleaned.get("sessions") or []),
            subject=cleaned["subject"],
            body=cleaned["body"],
            optional=cleaned["optional"],
            by=request.user,
            send_key=cleaned.get("send_key") or None,
        )
    except ValidationError as exc:
        for name, sentences in exc.message_dict.items():
            for sentence in sentences:
                form.add_error(name if name in form.fields else None, sentence)
        return _compose(request, event, form, status=400)
    messages.success(request, f"Your message is on its way to {_people(message.recipient_count)}.")
    return redirect(message.get_absolute_url())


@organiser_view
@require_http_methods(["GET", "HEAD"])
def messages_sent(request: HttpRequest, event: Event) -> HttpResponse:
    """Rule: events.change_event. The event's messages, newest first, with how many of
    each were sent, are waiting, failed, or were no longer wanted."""
    page = Paginator(selectors.messages_for_event(event=event), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.delivery_counts(page.object_list)
    for message in page:
        message.counts = counts[message.pk]
        group = recipient_group(message.group)
        message.group_label = group.label if group else message.group
    return render(
        request,
        "console/messages/list.html",
        {"event": event, "orga_section": SECTION, "page": page, "query": ""},
    )


@organiser_view
@require_http_methods(["GET", "HEAD"])
def message_detail(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Rule: events.change_event. One message: its text, its counts per state, and the
    people whose email failed, to follow up."""
    message = get_object_or_404(selectors.messages_for_event(event=event), pk=pk)
    group = recipient_group(message.group)
    return render(
        request,
        "console/messages/detail.html",
        {
            "event": event,
            "orga_section": SECTION,
            "message": message,
            "group_label": group.label if group else message.group,
            "can_opt_out": bool(group and group.can_opt_out),
            "counts": selectors.delivery_counts([message])[message.pk],
            "failed": list(selectors.failed_emails(message=message)[:500]),
        },
    )
