from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Convene administration"
admin.site.site_title = "Convene admin"
# Staff sign in through allauth's page, with its limits on wrong passwords and
# verified addresses: the admin's own form had neither (docs/decisions/0010).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("convene.api.urls")),
    path("profile/", include("convene.accounts.urls")),
    path("", include("convene.attendance.urls")),
    path("", include("convene.live.urls")),
    path("", include("convene.contributions.urls")),
    path("", include("convene.console.urls")),
    path("", include("convene.spread.urls")),
    path("", include("convene.events.urls")),
]
