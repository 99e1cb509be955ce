"""What hosts, moderators and organisers do: hide and restore, see what is
hidden, the questions queue and answering. Each view names its rule, with the
one refusal policy (docs/decisions/0018-one-refusal-policy.md): 404 where the
board is private, sign in for anonymous visitors, 403 for anyone else."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convene.contributions import selectors, services
from convene.contributions.forms import AnswerForm
from convene.contributions.models import Contribution
from convene.contributions.selectors import Board, board_of
from convene.contributions.views.public import (
    back_to,
    board_crumbs,
    contribution_for,
    event_board,
    on_board,
    session_board,
)
from convene.core.permissions import rule_required


@require_POST
@rule_required("contributions.hide_contribution", load=contribution_for)
def hide(request: HttpRequest, found: Contribution) -> HttpResponse:
    """Rule: contributions.hide_contribution (the board's moderators)."""
    services.contribution_hide(contribution=found, by=request.user)
    messages.success(request, "Hidden. It no longer shows on the board, in exports or the API.")
    return redirect(back_to(request, board_of(found).url()))


@require_POST
@rule_required("contributions.hide_contribution", load=contribution_for)
def restore(request: HttpRequest, found: Contribution) -> HttpResponse:
    """Rule: contributions.hide_contribution (the board's moderators)."""
    services.contribution_restore(contribution=found, by=request.user)
    messages.success(request, "Restored: it shows on the board again.")
    return redirect(back_to(request, board_of(found).url("hidden")))


def _hidden(request: HttpRequest, board: Board) -> HttpResponse:
    return render(
        request,
        "contributions/hidden.html",
        {
            "board": board,
            "items": list(selectors.hidden_on_board(event=board.event, session=board.session)),
            "crumbs": board_crumbs(board, current=True),
        },
    )


@require_safe
@rule_required("contributions.moderate_session_board", load=session_board, on=on_board)
def session_hidden(request: HttpRequest, board: Board) -> HttpResponse:
    """Rule: contributions.moderate_session_board."""
    return _hidden(request, board)


@require_safe
@rule_required("contributions.moderate_event_board", load=event_board, on=on_board)
def event_hidden(request: HttpRequest, board: Board) -> HttpResponse:
    """Rule: contributions.moderate_event_board."""
    return _hidden(request, board)


def _questions(request: HttpRequest, board: Board) -> HttpResponse:
    return render(
        request,
        "contributions/questions.html",
        {
            "board": board,
            "unanswered": list(selectors.questions_queue(event=board.event, session=board.session)),
            "answered": list(
                selectors.answered_questions(event=board.event, session=board.session)
            ),
            "crumbs": board_crumbs(board, current=True),
        },
    )


@require_safe
@rule_required("contributions.answer_session_questions", load=session_board, on=on_board)
def session_questions(request: HttpRequest, board: Board) -> HttpResponse:
    """Rule: contributions.answer_session_questions (the session's hosts, organisers)."""
    return _questions(request, board)


@require_safe
@rule_required("contributions.moderate_event_board", load=event_board, on=on_board)
def event_questions(request: HttpRequest, board: Board) -> HttpResponse:
    """Rule: contributions.moderate_event_board (organisers): the event board's own questions."""
    return _questions(request, board)


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required("contributions.answer_question", load=contribution_for)
def answer(request: HttpRequest, question: Contribution) -> HttpResponse:
    """Rule: contributions.answer_question. Buttons: save a draft, publish, unpublish."""
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
            "crumbs": [*board_crumbs(board, current=True), ("Questions", board.questions_url)],
        },
    )
