from django.urls import path

from convene.contributions.views import hosts, public

app_name = "contributions"

EVENT = "events/<slug:event>/"
SESSION = "events/<slug:event>/sessions/<slug:session>/"

urlpatterns = [
    # A session's board
    path(f"{SESSION}top-tips/", public.session_board_page, name="session_board"),
    path(f"{SESSION}top-tips/votes/", public.session_votes, name="session_votes"),
    path(f"{SESSION}top-tips/hidden/", hosts.session_hidden, name="session_hidden"),
    path(f"{SESSION}top-tips.csv", public.session_csv, name="session_csv"),
    path(f"{SESSION}top-tips.md", public.session_markdown, name="session_markdown"),
    path(f"{SESSION}questions/", hosts.session_questions, name="session_questions"),
    # The event's board
    path(f"{EVENT}top-tips/", public.event_board_page, name="event_board"),
    path(f"{EVENT}top-tips/votes/", public.event_votes, name="event_votes"),
    path(f"{EVENT}top-tips/hidden/", hosts.event_hidden, name="event_hidden"),
    path(f"{EVENT}top-tips.csv", public.event_csv, name="event_csv"),
    path(f"{EVENT}top-tips.md", public.event_markdown, name="event_markdown"),
    path(f"{EVENT}questions/", hosts.event_questions, name="event_questions"),
    # One contribution
    path("contributions/<int:pk>/vote/", public.vote, name="vote"),
    path("contributions/<int:pk>/edit/", public.edit, name="edit"),
    path("contributions/<int:pk>/delete/", public.delete, name="delete"),
    path("contributions/<int:pk>/hide/", hosts.hide, name="hide"),
    path("contributions/<int:pk>/restore/", hosts.restore, name="restore"),
    path("contributions/<int:pk>/answer/", hosts.answer, name="answer"),
]
