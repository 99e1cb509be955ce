# Routes of the schedule interchange; included by convene/events/urls.py under
# the "events" namespace.
from django.urls import path

from convene.events.interchange import views

urlpatterns = [
    # Into a new event: before orga/<event>/import/ (Event.RESERVED_SLUGS).
    path("orga/new/import/", views.import_new_event, name="import_new_event"),
    path(
        "orga/new/import/<slug:preview>/",
        views.import_new_event_preview,
        name="import_new_event_preview",
    ),
    path("events/<slug:event>/schedule.json", views.schedule_json, name="schedule_json"),
    path("events/<slug:event>/schedule.xml", views.schedule_xml, name="schedule_xml"),
    path("orga/<slug:event>/schedule.csv", views.schedule_csv, name="orga_schedule_csv"),
    path("orga/<slug:event>/exports/", views.exports, name="orga_exports"),
    path("orga/<slug:event>/import/", views.import_schedule, name="orga_import"),
    path(
        "orga/<slug:event>/import/<slug:preview>/",
        views.import_preview,
        name="orga_import_preview",
    ),
]
