"""Included at /api/ by convene/urls.py; the namespace is the NinjaAPI's ("api").

/api/ and /api/docs/ are where people guess the reference is: both lead to it.
"""

from django.urls import path
from django.views.generic import RedirectView

from convene.api.api import api

app_name = api.urls_namespace
_to_docs = RedirectView.as_view(pattern_name="api:openapi-view", permanent=False)
# Before ninja's own patterns: its root answers 404 when there is no Swagger UI.
urlpatterns = [
    path("", _to_docs, name="root"),
    path("docs/", _to_docs, name="docs-slash"),
    *api.urls[0],
]
