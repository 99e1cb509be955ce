from django.urls import path

from convene.live.views import orga, public

app_name = "live"

ROOM = "events/<slug:event>/sessions/<slug:session>/chat/"

urlpatterns = [
    path(ROOM, public.room, name="room"),
    path(f"{ROOM}prompts/", public.prompts, name="prompts"),
    path(f"{ROOM}history/", public.history, name="history"),
    path(f"{ROOM}manage/", orga.manage, name="manage"),
    path(f"{ROOM}transcript.csv", orga.transcript_csv, name="transcript_csv"),
    path(f"{ROOM}transcript.md", orga.transcript_markdown, name="transcript_markdown"),
    path("live/rooms/<int:room>/events/", public.room_events, name="events"),
    path("live/rooms/<int:room>/commands/", public.room_command, name="commands"),
    path("orga/<slug:event>/chat/", orga.event_settings, name="event_settings"),
]
