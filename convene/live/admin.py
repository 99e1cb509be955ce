from django.contrib import admin

from convene.live.models import LiveSettings, Message, Report, Room


@admin.register(LiveSettings)
class LiveSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "read_access", "retention_days"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["session", "is_open", "slow_mode_seconds", "last_seq", "peak_presence"]
    list_select_related = ["session"]
    readonly_fields = ["last_seq", "peak_presence", "peak_presence_at"]
    raw_id_fields = ["session", "pinned_prompt"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    # Read-only: hiding goes through the room (services.message_hide), so it is
    # broadcast and audited.
    list_display = ["room", "seq", "author_name", "kind", "created_at", "hidden_at"]
    list_filter = ["kind"]
    search_fields = ["text", "author_name"]
    raw_id_fields = ["room", "author", "reply_to", "hidden_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["message", "reporter", "created_at"]
    raw_id_fields = ["message", "reporter"]
