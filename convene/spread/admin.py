from django.contrib import admin

from convene.spread.models import Principle


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    """For superusers; organisers edit on the principle's own page (spread.change_principle)."""

    list_display = ["number", "name", "is_confirmed", "updated_at"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request) -> bool:
        return False  # the lens has seven principles; tags point at them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
