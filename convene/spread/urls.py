from django.urls import path

from convene.spread import views

app_name = "spread"

urlpatterns = [
    path("principles/", views.principles, name="principles"),
    path("principles/<slug:principle>/", views.principle, name="principle"),
    path("principles/<slug:principle>/edit/", views.principle_edit, name="principle_edit"),
]
