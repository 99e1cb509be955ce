# Routes of the schedule interchange; included by convene/events/urls.py under
# the "events" namespace.
urlpatterns: list = []
