from django.urls import path

from convene.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("my-data.json", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete"),
]
