from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "convene.attendance"
    verbose_name = "Registration and attendance"

    def ready(self) -> None:
        from convene.accounts import extensions as account_extensions
        from convene.attendance import signals  # noqa: F401 - connects the receivers
        from convene.attendance.emails import Kind, build_message
        from convene.attendance.panels import AttendanceExtension
        from convene.attendance.privacy import PERSONAL_DATA
        from convene.attendance.profile import PROFILE_SECTION
        from convene.attendance.reminders import reminders_schedule
        from convene.core import outbox
        from convene.events import extensions

        extensions.register(AttendanceExtension())
        account_extensions.register(PERSONAL_DATA)
        account_extensions.register_profile_section(PROFILE_SECTION)
        for kind in Kind:
            outbox.register_builder(kind.value, build_message)
        outbox.register_job("reminders recorded", reminders_schedule)
