from django.contrib import admin

from convene.attendance.models import Booking, EmailDelivery, Registration


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


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Operators look here for `uncertain` rows (see attendance/delivery.py)."""

    list_display = ["purpose", "recipient", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "purpose"]
    readonly_fields = [f.name for f in EmailDelivery._meta.fields]
