"""Boards (a session's and an event's "Top tips" pages), adding, voting, the
author's edit and delete, live vote counts and the board's exports.

Thin views: each names its rule (contributions/rules.py), parses input and
calls a service. Boards people cannot see answer 404, like the session page;
actions a signed-in person may not take answer 403; anonymous visitors are
sent to sign in. Writes are POST only.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convene.contributions import exports, selectors, services
from convene.contributions.forms import BoardFilterForm, ContributionForm
from convene.contributions.models import Contribution
from convene.contributions.selectors import Board, board_of
from convene.core import stamps
from convene.core.breadcrumbs import crumbs
from convene.core.params import whole_number
from convene.core.permissions import require_or_404, rule_required
from convene.core.public_cache import Freshness, depend, public_cache
from convene.events import selectors as event_selectors
from convene.events.rules import moderated_session_ids

Kind = Contribution.Kind


# --- Helpers ----------------------------------------------------------------------


def session_board(request: HttpRequest, event: str, session: str) -> Board:
    event_obj = event_selectors.event_by_slug(event)
    session_obj = event_selectors.session_by_slug(event=event_obj, slug=session)
    board = Board(event=event_obj, session=session_obj)
    require_or_404(request.user, board.view_perm, board.target)
    return board


def event_board(request: HttpRequest, event: str) -> Board:
    board = Board(event=event_selectors.event_by_slug(event))
    require_or_404(request.user, board.view_perm, board.target)
    return board


def board_crumbs(board: Board, *, current: bool = False) -> list[tuple[str, str]]:
    """Breadcrumbs down to the board (`current`: the board itself is an ancestor)."""
    more = [("Top tips, ideas and questions", board.url())] if current else []
    return crumbs(board.event, board.session, more=more)


def contribution_for(request: HttpRequest, pk: int) -> Contribution:
    """The contribution, if its board is visible (else 404): the `load` of
    rule_required for the views about one contribution."""
    contribution = selectors.contribution_by_id(pk)
    board = board_of(contribution)
    require_or_404(request.user, board.view_perm, board.target)
    return contribution


def on_board(board: Board) -> object:
    """What a board's rules are about: its session, or the event for its own board."""
    return board.target


def back_to(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def filters_from(request: HttpRequest) -> tuple[BoardFilterForm, selectors.BoardFilter]:
    form = BoardFilterForm(request.GET or None)
    cleaned = {}
    if form.is_bound:
        form.is_valid()  # keeps every field that is valid on its own
        cleaned = getattr(form, "cleaned_data", {})
    return form, selectors.BoardFilter(
        kind=cleaned.get("kind") or "",
        principle=cleaned.get("principle"),
        sort=cleaned.get("sort") or selectors.Sort.VOTES,
    )


def board_freshness(board: Board) -> Freshness:
    """A board shows its event's programme (titles), contributions, votes and the
    principles they are tagged with."""
    scope = stamps.event_scope(board.event.slug)
    return Freshness(
        stamps=(
            (scope, "programme"),
            (scope, "contributions"),
            (scope, "votes"),
            (stamps.SITE, "principles"),
        )
    )


# --- Boards -----------------------------------------------------------------------


def _mark_permissions(
    user, board: Board, items: list[Contribution], *, can_moderate: bool, can_answer: bool
) -> None:
    """Set `can_hide` and `can_answer` on each item, without a query per item.

    On a session's board both follow the board. The event's board mixes
    sessions: its organisers may hide and answer anything, and each session's
    moderators may hide that session's items (they answer on its own board)."""
    moderated = moderated_session_ids(user, board.event) if board.session is None else None
    for item in items:
        if board.session is not None or moderated is None:
            item.can_hide = can_moderate
            item.can_answer = item.is_question and (can_answer or can_moderate)
        else:
            item.can_hide = item.session_id in moderated
            item.can_answer = False
        item.is_mine = user.is_authenticated and item.author_id == user.pk


def _board(request: HttpRequest, board: Board) -> HttpResponse:
    user = request.user
    can_add = user.has_perm(board.add_perm, board.target)
    form = ContributionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                contribution = services.contribution_create(
                    author=user, event=board.event, session=board.session, **form.service_fields()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"Thank you. Your {contribution.get_kind_display().lower()} is shared."
                )
                return redirect(f"{board.url()}#contribution-{contribution.pk}")

    depend(request, board_freshness(board))
    filter_form, filters = filters_from(request)
    page = Paginator(board.contributions(filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    can_moderate = user.has_perm(board.moderate_perm, board.target)
    can_answer = board.session is not None and user.has_perm(
        "contributions.answer_session_questions", board.session
    )
    _mark_permissions(user, board, items, can_moderate=can_moderate, can_answer=can_answer)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contributions/board.html",
        {
            "board": board,
            "event": board.event,
            "session": board.session,
            "page": page,
            "items": items,
            "voted": selectors.voted_ids(user=user, contributions=items),
            "can_add": can_add,
            "can_vote": user.is_authenticated and user.is_active,
            "can_moderate": can_moderate,
            "can_answer": can_answer,
            "form": form,
            "filter_form": filter_form,
            "filters": filters,
            "query": query.urlencode(),
            "crumbs": board_crumbs(board),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@public_cache(stamps.event_scopes)
def session_board_page(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rules: contributions.view_session_board; POST contributions.add_to_session."""
    return _board(request, session_board(request, event, session))


@require_http_methods(["GET", "HEAD", "POST"])
@public_cache(stamps.event_scopes)
def event_board_page(request: HttpRequest, event: str) -> HttpResponse:
    """Rules: contributions.view_event_board; POST contributions.add_to_event."""
    return _board(request, event_board(request, event))


def _votes(request: HttpRequest, board: Board) -> HttpResponse:
    raw = request.GET.get("ids", "")
    numbers = (whole_number(part) for part in raw.split(","))
    ids = [n for n in numbers if n is not None][: selectors.PAGE_SIZE]
    depend(request, board_freshness(board))
    counts = selectors.vote_counts(contributions=board.contributions(), ids=ids)
    return render(request, "contributions/includes/vote_counts.html", {"counts": counts})


@require_safe
@public_cache(stamps.event_scopes, max_age=0)
def session_votes(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: contributions.view_session_board. Current counts (htmx polls it)."""
    return _votes(request, session_board(request, event, session))


@require_safe
@public_cache(stamps.event_scopes, max_age=0)
def event_votes(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: contributions.view_event_board. Current counts (htmx polls it)."""
    return _votes(request, event_board(request, event))


# --- One contribution -------------------------------------------------------------


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Rule: contributions.vote. `on` = 1 votes, 0 takes the vote back."""
    contribution = selectors.contribution_by_id(pk)
    board = board_of(contribution)
    require_or_404(request.user, board.view_perm, board.target)
    if not request.user.is_authenticated:
        return redirect_to_login(board.url())
    if not request.user.has_perm("contributions.vote", contribution):
        if contribution.is_hidden:
            messages.error(request, "A moderator has hidden this, so it cannot be voted on.")
            return redirect(back_to(request, board.url()))
        raise PermissionDenied
    on = {"1": True, "0": False}.get(request.POST.get("on", ""))
    try:
        voted, count = services.contribution_vote_toggle(
            contribution=contribution, user=request.user, on=on
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back_to(request, board.url()))
    if is_htmx(request):
        contribution.vote_count = count
        return render(
            request,
            "contributions/includes/vote.html",
            {
                "item": contribution,
                "voted": {contribution.pk} if voted else set(),
                "can_vote": True,
                "next": back_to(request, board.url()),
                "announce": "Your vote is counted." if voted else "Your vote is taken back.",
            },
        )
    messages.success(request, "Your vote is counted." if voted else "Your vote is taken back.")
    return redirect(f"{back_to(request, board.url())}#contribution-{contribution.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required("contributions.change_contribution", load=contribution_for)
def edit(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """Rule: contributions.change_contribution (the author)."""
    board = board_of(contribution)
    form = ContributionForm.for_contribution(
        contribution, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_update(
                contribution=contribution, by=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(contribution)
    return render(
        request,
        "contributions/edit.html",
        {"contribution": contribution, "form": form, "crumbs": board_crumbs(board, current=True)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required("contributions.delete_contribution", load=contribution_for)
def delete(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """Rule: contributions.delete_contribution (the author)."""
    board = board_of(contribution)
    if request.method == "POST":
        services.contribution_delete(contribution=contribution, by=request.user)
        messages.success(request, f"Your {contribution.get_kind_display().lower()} is deleted.")
        return redirect(board.url())
    return render(
        request,
        "contributions/delete.html",
        {"contribution": contribution, "crumbs": board_crumbs(board, current=True)},
    )


# --- Exports ----------------------------------------------------------------------


def _csv(request: HttpRequest, board: Board) -> HttpResponse:
    depend(request, board_freshness(board))
    response = HttpResponse(
        exports.board_csv(exports.board_rows(board)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{board.filename}.csv"'
    return response


def _markdown(request: HttpRequest, board: Board) -> HttpResponse:
    depend(request, board_freshness(board))
    response = HttpResponse(
        exports.board_markdown(board, exports.board_rows(board)),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{board.filename}.md"'
    return response


@require_safe
@public_cache(stamps.event_scopes)
def session_csv(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: contributions.view_session_board (the export holds what the board shows)."""
    return _csv(request, session_board(request, event, session))


@require_safe
@public_cache(stamps.event_scopes)
def event_csv(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: contributions.view_event_board."""
    return _csv(request, event_board(request, event))


@require_safe
@public_cache(stamps.event_scopes)
def session_markdown(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: contributions.view_session_board."""
    return _markdown(request, session_board(request, event, session))


@require_safe
@public_cache(stamps.event_scopes)
def event_markdown(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: contributions.view_event_board."""
    return _markdown(request, event_board(request, event))
