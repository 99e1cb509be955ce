from django.contrib import admin

from convene.core.models import AuditEntry, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Operators look here for `uncertain` rows (see core/outbox.py)."""

    list_display = ["purpose", "recipient", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "purpose"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody edits history (core/audit.py)."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "event_id"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "subject_name"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
