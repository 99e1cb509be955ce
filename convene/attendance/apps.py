from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "convene.attendance"
    verbose_name = "Registration and attendance"

    def ready(self) -> None:
        from convene.attendance import signals  # noqa: F401 - connects the receivers
