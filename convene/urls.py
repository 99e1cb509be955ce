from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Convene administration"
admin.site.site_title = "Convene admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("convene.api.urls")),
    path("profile/", include("convene.accounts.urls")),
    path("", include("convene.attendance.urls")),
    path("", include("convene.live.urls")),
    path("", include("convene.contributions.urls")),
    path("", include("convene.spread.urls")),
    path("", include("convene.events.urls")),
]
