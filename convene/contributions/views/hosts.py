"""What hosts, moderators and organisers do: hide and restore, see what is
hidden, the questions queue and answering. Each view names its rule."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convene.contributions import selectors, services
from convene.contributions.forms import AnswerForm
from convene.contributions.selectors import Board, board_of
from convene.contributions.views.public import (
    back_to,
    contribution_for,
    crumbs,
    event_board,
    session_board,
)


def _refuse(request: HttpRequest, board: Board, perm: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, board.target):
        raise PermissionDenied
    return None


@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Rule: contributions.hide_contribution (the board's moderators)."""
    found = contribution_for(request, pk, "contributions.hide_contribution")
    if isinstance(found, HttpResponse):
        return found
    services.contribution_hide(contribution=found, by=request.user)
    messages.success(request, "Hidden. It no longer shows on the board, in exports or the API.")
    return redirect(back_to(request, board_of(found).url()))


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Rule: contributions.hide_contribution (the board's moderators)."""
    found = contribution_for(request, pk, "contributions.hide_contribution")
    if isinstance(found, HttpResponse):
        return found
    services.contribution_restore(contribution=found, by=request.user)
    messages.success(request, "Restored: it shows on the board again.")
    return redirect(back_to(request, board_of(found).url("hidden")))


def _hidden(request: HttpRequest, board: Board) -> HttpResponse:
    if refused := _refuse(request, board, board.moderate_perm):
        return refused
    return render(
        request,
        "contributions/hidden.html",
        {
            "board": board,
            "items": list(selectors.hidden_on_board(event=board.event, session=board.session)),
            "crumbs": crumbs(board, current=True),
        },
    )


@require_safe
def session_hidden(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: contributions.moderate_session_board."""
    return _hidden(request, session_board(request, event, session))


@require_safe
def event_hidden(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: contributions.moderate_event_board."""
    return _hidden(request, event_board(request, event))


def _questions(request: HttpRequest, board: Board, perm: str) -> HttpResponse:
    if refused := _refuse(request, board, perm):
        return refused
    return render(
        request,
        "contributions/questions.html",
        {
            "board": board,
            "unanswered": list(selectors.questions_queue(event=board.event, session=board.session)),
            "answered": list(
                selectors.answered_questions(event=board.event, session=board.session)
            ),
            "crumbs": crumbs(board, current=True),
        },
    )


@require_safe
def session_questions(request: HttpRequest, event: str, session: str) -> HttpResponse:
    """Rule: contributions.answer_session_questions (the session's hosts, organisers)."""
    return _questions(
        request,
        session_board(request, event, session),
        "contributions.answer_session_questions",
    )


@require_safe
def event_questions(request: HttpRequest, event: str) -> HttpResponse:
    """Rule: contributions.moderate_event_board (organisers): the event board's own questions."""
    return _questions(request, event_board(request, event), "contributions.moderate_event_board")


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Rule: contributions.answer_question. Buttons: save a draft, publish, unpublish."""
    found = contribution_for(request, pk, "contributions.answer_question")
    if isinstance(found, HttpResponse):
        return found
    question = found
    board = board_of(question)
    action = request.POST.get("action", "publish")
    form = AnswerForm(
        request.POST if request.method == "POST" and action != "unpublish" else None,
        initial={"answer": question.answer},
    )
    if request.method == "POST":
        try:
            if action == "unpublish":
                services.question_answer_unpublish(question=question, by=request.user)
                messages.success(
                    request, "The answer is no longer published. It is kept as a draft."
                )
                return redirect(board.questions_url)
            if form.is_valid():
                if action == "draft":
                    services.question_answer_save(
                        question=question, by=request.user, answer=form.cleaned_data["answer"]
                    )
                    messages.success(request, "Your draft is saved. It is not published yet.")
                else:
                    services.question_answer_publish(
                        question=question, by=request.user, answer=form.cleaned_data["answer"]
                    )
                    messages.success(
                        request,
                        "The answer is published. The person who asked will get an email.",
                    )
                return redirect(board.questions_url)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "contributions/answer.html",
        {
            "question": question,
            "board": board,
            "form": form,
            "crumbs": [*crumbs(board, current=True), ("Questions", board.questions_url)],
        },
    )
