"""The room page, its prompts page, and the fallback transport (SSE + POST).

Each view names its rule (live/rules.py), with the one refusal policy
(docs/decisions/0018-one-refusal-policy.md): sessions people cannot see answer
404 (as in events); anonymous visitors to a room they may not read are sent to
sign in, and signed-in people get a 403 that says how to register.

The fallback, for networks that block WebSockets:
- `room_events` streams the room as Server-Sent Events with the same frames
  and numbers as the WebSocket; the browser's Last-Event-ID resumes it;
- `room_command` takes the same commands as the WebSocket, as a POST.
Served by a WSGI server (development), `room_events` answers what is new and
ends (`retry:` makes the browser ask again): polling, with the same rules.
"""

import asyncio
import json
import uuid

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from convene.core.breadcrumbs import crumbs
from convene.core.pagination import PageLink, PageLinks
from convene.core.params import whole_number
from convene.core.permissions import rule_required
from convene.events.access import session_for
from convene.events.models import Session
from convene.live import actions, handlers, protocol, routing, selectors, services
from convene.live.models import Message, Room
from convene.live.transport.hub import hub_for
from convene.live.transport.listeners import StreamListener
from convene.live.transport.wire import Frame

MAX_COMMAND_BYTES = 16_384
SLOW_MODE_CHOICES = [(0, "Off")] + [
    (seconds, f"One message every {seconds} seconds each") for seconds in (5, 10, 30, 60, 120)
]


def room_for(request: HttpRequest, event: str, session: str) -> Room:
    """The session's room (made on first visit); 404 unless the person can see the session."""
    session_obj = session_for(request, event, session)
    if session_obj.kind == Session.Kind.BREAK:
        raise Http404
    room = selectors.room_for_session(session=session_obj)
    if room is None:
        services.room_ensure(session=session_obj)
        room = selectors.room_for_session(session=session_obj)
    return room


def _trail(room: Room, *, in_room: bool = False) -> list[tuple[str, str]]:
    more = [("Chat room", room.get_absolute_url())] if in_room else []
    return crumbs(room.session.event, room.session, more=more)


def _no_access(request: HttpRequest, room: Room) -> HttpResponse:
    """The 403 for a signed-in person who may not read the room: how to register."""
    session = room.session
    return render(
        request,
        "live/no_access.html",
        {"room": room, "session": session, "event": session.event, "crumbs": _trail(room)},
        status=403,
    )


readable_room = rule_required("live.view_room", load=room_for, refusal=_no_access)


@require_safe
@readable_room
def room(request: HttpRequest, room_obj: Room) -> HttpResponse:
    """Rule: live.view_room."""
    session_obj = room_obj.session
    access = selectors.room_access(user=request.user, room=room_obj)
    page = selectors.room_page(room=room_obj, user=request.user)
    pinned = (
        room_obj.pinned_prompt
        if room_obj.pinned_prompt and not room_obj.pinned_prompt.is_hidden
        else None
    )
    return render(
        request,
        "live/room.html",
        {
            "room": room_obj,
            "session": session_obj,
            "event": session_obj.event,
            "access": access,
            "page": page,
            "pinned": pinned,
            # From the prompt's "Answer this prompt": the reply box starts ticked.
            "answering": pinned is not None and request.GET.get("answer") == "prompt",
            "snapshot_at": timezone.now(),
            "message_actions": actions.allowed_for(request.user, session_obj),
            "example": any(m.is_example_data for m in page.messages),
            # WebSockets need the ASGI server; under WSGI (development) the page polls.
            "websocket_path": (
                routing.socket_path(room_obj.pk) if isinstance(request, ASGIRequest) else ""
            ),
            "form_client_id": uuid.uuid4().hex,
            "blank_message": Message(),
            "slow_mode_choices": SLOW_MODE_CHOICES,
            "max_length": settings.LIVE_MESSAGE_MAX_LENGTH,
            "fallback_seconds": settings.LIVE_WEBSOCKET_TIMEOUT,
            "crumbs": _trail(room_obj),
        },
    )


@require_safe
@readable_room
def prompts(request: HttpRequest, room_obj: Room) -> HttpResponse:
    """Rule: live.view_room. Every prompt with all its replies."""
    session_obj = room_obj.session
    return render(
        request,
        "live/prompts.html",
        {
            "room": room_obj,
            "session": session_obj,
            "event": session_obj.event,
            "prompts": selectors.prompts_with_replies(room=room_obj),
            "crumbs": _trail(room_obj, in_room=True),
        },
    )


@require_safe
@readable_room
def history(request: HttpRequest, room_obj: Room) -> HttpResponse:
    """Rule: live.view_room. Earlier messages, a page at a time (`?before=` or
    `?after=` a message number; the latest page without either).

    The room page's "Show earlier messages" link comes here: without JavaScript
    it is this page; with it, room.mjs asks for the messages alone
    (`HX-Request: true`) and puts them above the ones shown."""
    session_obj = room_obj.session
    after = whole_number(request.GET.get("after"))
    before = None if after is not None else whole_number(request.GET.get("before"))
    page = selectors.history_page(room=room_obj, user=request.user, before=before, after=after)
    url = reverse(
        "live:history", kwargs={"event": session_obj.event.slug, "session": session_obj.slug}
    )
    context = {
        "room": room_obj,
        "session": session_obj,
        "event": session_obj.event,
        "page": page,
        "links": PageLinks(
            previous=PageLink(f"{url}?before={page.earlier_than}", "Earlier messages")
            if page.earlier_than
            else None,
            next=PageLink(f"{url}?after={page.later_than}", "Later messages")
            if page.later_than
            else None,
        ),
    }
    if request.headers.get("HX-Request") == "true":
        context |= {
            "access": selectors.room_access(user=request.user, room=room_obj),
            "message_actions": actions.allowed_for(request.user, session_obj),
        }
        response = render(request, "live/includes/history_items.html", context)
    else:
        context["example"] = any(m.is_example_data for m in page.messages)
        context["crumbs"] = _trail(room_obj, in_room=True)
        response = render(request, "live/history.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Fallback transport ---------------------------------------------------------------


def _after(request: HttpRequest) -> int | None:
    return whole_number(request.headers.get("Last-Event-ID") or request.GET.get("after"))


async def room_events(request: HttpRequest, room: int) -> HttpResponse:
    """Rule: live.view_room. The room as Server-Sent Events (GET only)."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    user = await request.auser()
    access = await sync_to_async(handlers.enter)(room_id=room, user=user)
    if access is None or not access.can_read:
        return HttpResponse(
            "You cannot read this chat room.", status=403, content_type="text/plain"
        )
    after = _after(request)
    if isinstance(request, ASGIRequest):
        stream = _stream(room, access, after)
    else:
        text, high = await sync_to_async(handlers.batch_for)(room_id=room, after=after)
        stream = iter(["retry: 2000\n\n", Frame(text, high).sse])
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not hold the stream back
    return response


async def _stream(room_id: int, access, after: int | None):
    loop = asyncio.get_running_loop()
    hub = await hub_for(room_id, store=handlers.store)
    listener = StreamListener(
        limit=settings.LIVE_CLIENT_BACKLOG, user_key=access.user_key, moderator=access.can_moderate
    )
    # Padding: some proxies hold back the first 2 KiB of a response.
    yield "retry: 1000\n:" + " " * 2048 + "\n\n"
    hello = handlers.hello_frame(
        access, presence=hub.presence, readers=hub.readers, transport="sse"
    )
    await hub.join(listener, after=after, first=[hello])
    if access.user_id:
        hub.record_entry(access.user_id)
    deadline = loop.time() + settings.LIVE_SSE_SECONDS
    try:
        while (left := deadline - loop.time()) > 0:
            try:
                chunk = await asyncio.wait_for(listener.queue.get(), timeout=min(15.0, left))
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            chunks = [chunk]
            while not listener.queue.empty():
                chunks.append(listener.queue.get_nowait())
            if None in chunks:  # dropped as too slow: end; the browser resumes
                yield "".join(c for c in chunks[: chunks.index(None)])
                return
            yield "".join(chunks)
    finally:
        listener.closed = True
        hub.leave(listener)


@require_POST
def room_command(request: HttpRequest, room: int) -> HttpResponse:
    """Rule: as the command's (handlers.py). One command, as JSON or as a plain form.

    JSON in, JSON out (the reply frame). A form (no JavaScript) sends a message
    (answering the prompt when its box is ticked) and comes back to the room
    page, at the new message."""
    access = handlers.enter(room_id=room, user=request.user)
    if access is None or not access.can_read:
        return JsonResponse(
            {"type": "error", "code": "forbidden", "message": "You cannot use this chat room."},
            status=403,
        )
    if len(request.body) > MAX_COMMAND_BYTES:
        return JsonResponse(
            {"type": "error", "code": "too_big", "message": "That was too big to send."}, status=413
        )
    is_form = request.content_type != "application/json"
    raw: dict | bytes
    if is_form:
        raw = {
            "type": "send",
            "client_id": request.POST.get("client_id", ""),
            "text": request.POST.get("text", ""),
            "reply_to": whole_number(request.POST.get("reply_to")),
        }
    else:
        raw = request.body
    try:
        command = protocol.parse_command(raw, max_length=settings.LIVE_MESSAGE_MAX_LENGTH)
    except protocol.InvalidCommandError as bad:
        reply = protocol.error_frame(bad.code, bad.message)
    else:
        reply = handlers.perform(command=command, access=access, user=request.user)
    if is_form:
        return _form_reply(request, room, reply)
    status = 400 if reply and json.loads(reply).get("type") == "error" else 200
    return HttpResponse(reply or "{}", content_type="application/json", status=status)


def _form_reply(request: HttpRequest, room_id: int, reply: str | None) -> HttpResponse:
    from django.contrib import messages

    data = json.loads(reply) if reply else {}
    url = selectors.room_by_id(room_id).get_absolute_url()
    if data.get("type") == "error":
        messages.error(request, data["message"])
        return redirect(url)  # the error shows at the top
    # At the new message, so it is in view (the list scrolls inside its own box).
    return redirect(f"{url}#message-{data['id']}")
