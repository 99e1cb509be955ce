from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from convene.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "organisation", "lived_experience_partner", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "lived_experience_partner"]
    search_fields = ["email", "name", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "pronouns", "organisation", "job_role",
                                "lived_experience_partner", "accessibility_needs"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]  # fmt: skip
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
