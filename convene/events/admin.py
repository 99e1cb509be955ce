"""Organisers edit events through Django admin until the organiser area lands."""

from django.contrib import admin

from convene.events.models import Event, EventRole, Host, Room, Session, Track


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class EventRoleInline(admin.TabularInline):
    model = EventRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date", "format", "status", "is_example_data"]
    list_filter = ["status", "format", "is_example_data"]
    search_fields = ["title", "strapline", "slug", "hashtags"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    inlines = [RoomInline, TrackInline, EventRoleInline]


class HostInline(admin.StackedInline):
    model = Host
    extra = 0
    autocomplete_fields = ["user"]
    fields = [("user", "guest_name"), ("role", "position"), "organisation", "social_handle", "bio"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "start", "end", "room", "track", "status"]
    list_filter = ["event", "kind", "status", "do_not_record"]
    list_select_related = ["event", "room", "track"]
    search_fields = ["title", "summary", "description", "hosts__guest_name", "hosts__user__name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start"
    inlines = [HostInline]
    autocomplete_fields = ["event"]


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "session"]
    list_filter = ["role", "session__event"]
    list_select_related = ["user", "session"]
    search_fields = ["guest_name", "user__name", "user__email", "session__title"]
    autocomplete_fields = ["user", "session"]


@admin.register(EventRole)
class EventRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "event"]
    list_filter = ["role", "event"]
    list_select_related = ["user", "event"]
    search_fields = ["user__email", "user__name", "event__title"]
    autocomplete_fields = ["user", "event"]
