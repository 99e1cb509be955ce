from django.contrib import admin

from convene.contributions.models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    # Read-only: every change goes through contributions.services (hide,
    # restore, answer ...) on the boards, which check the rules.
    list_display = ["__str__", "event", "session", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["text"]
    raw_id_fields = ["event", "session", "author", "hidden_by", "saved_by", "answered_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
