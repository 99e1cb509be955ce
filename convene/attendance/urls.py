from django.urls import path

from convene.attendance.views import orga, public

app_name = "attendance"

urlpatterns = [
    path("events/<slug:event>/register/", public.register, name="register"),
    path("events/<slug:event>/register/sent/", public.register_sent, name="register_sent"),
    path("events/<slug:event>/register/cancel/", public.cancel_registration, name="cancel"),
    path("register/confirm/<str:token>/", public.confirm, name="confirm"),
    path("my/registrations/<int:registration>/emails/", public.email_choices, name="emails"),
    path("sessions/<int:session>/book/", public.book, name="book"),
    path("sessions/<int:session>/cancel-booking/", public.cancel_booking, name="cancel_booking"),
    path("sessions/<int:session>/star/", public.star, name="star"),
    path("sessions/<int:session>/join/", public.join, name="join"),
    path("my/agenda/", public.agenda, name="agenda"),
    path("my/calendar-link/", public.calendar_link, name="calendar_link"),
    path("my/calendar/<str:token>.ics", public.feed, name="feed"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    # Organiser area (events.change_event)
    path("orga/<slug:event>/registrations/", orga.registrations, name="orga_registrations"),
    path(
        "orga/<slug:event>/registrations.csv", orga.registrations_csv, name="orga_registrations_csv"
    ),
    path("orga/<slug:event>/attendance/", orga.numbers, name="orga_numbers"),
    path("orga/<slug:event>/attendance/<int:pk>/", orga.session_registrants, name="orga_session"),
    path(
        "orga/<slug:event>/attendance/<int:pk>/mark/",
        orga.mark_attendance,
        name="orga_mark_attendance",
    ),
]
