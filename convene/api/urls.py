"""Included at /api/ by convene/urls.py; the namespace is the NinjaAPI's ("api")."""

from convene.api.api import api

app_name = api.urls_namespace
urlpatterns = api.urls[0]
