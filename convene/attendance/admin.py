from django.contrib import admin

from convene.attendance.models import Booking, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "event", "state", "created_at"]
    list_filter = ["state", "event"]
    search_fields = ["email", "name", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "state", "queued_at"]
    list_filter = ["state"]
    raw_id_fields = ["registration", "session"]
