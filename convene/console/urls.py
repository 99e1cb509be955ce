from django.urls import path

from convene.console.views import dashboard

app_name = "console"

urlpatterns: list = [
    path("orga/<slug:event>/dashboard/", dashboard.dashboard, name="dashboard"),
]
