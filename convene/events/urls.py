from django.urls import path

from convene.events.views import public

app_name = "events"

urlpatterns = [
    path("", public.home, name="home"),
    path("events/<slug:event>/", public.event_detail, name="event"),
    path("events/<slug:event>/programme/", public.programme, name="programme"),
    path("events/<slug:event>/people/", public.people, name="people"),
    path("events/<slug:event>/calendar.ics", public.event_calendar, name="event_calendar"),
    path("events/<slug:event>/sessions/<slug:session>/", public.session_detail, name="session"),
    path(
        "events/<slug:event>/sessions/<slug:session>/calendar.ics",
        public.session_calendar,
        name="session_calendar",
    ),
]
