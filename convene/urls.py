from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

admin.site.site_header = "Convene administration"
admin.site.site_title = "Convene admin"
# Staff sign in through allauth's page, with its limits on wrong passwords and
# verified addresses: the admin's own form had neither (docs/decisions/0010).
admin.site.login = secure_admin_login(admin.site.login)


def _superusers_only(request: HttpRequest) -> bool:
    """Django admin is for superusers (issue 14): organisers, hosts, reviewers and
    judges work in the organiser area, which needs no staff status; a staff account
    without superuser status is refused here like anyone else (decision 0026)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]

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
