from django.contrib import admin

from convene.core.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Operators look here for `uncertain` rows (see core/outbox.py)."""

    list_display = ["purpose", "recipient", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "purpose"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
