from django.urls import path  # noqa: F401 - the console's pages are added here

app_name = "console"

urlpatterns: list = []
