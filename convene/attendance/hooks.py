"""What attendance plugs in (core/hooks.py): the registration panels on event,
session and programme pages; its organiser pages; a person's registrations in
"download my data" and their email choices on the profile page; its emails and
the reminders job; its columns and chart on the organiser console's dashboard and its
groups for the organiser console's messages."""

from convene.accounts.extensions import PERSONAL_DATA, PROFILE_SECTIONS
from convene.attendance import dashboard
from convene.attendance.emails import Kind, build_message
from convene.attendance.panels import AttendanceExtension
from convene.attendance.privacy import PERSONAL_DATA as ATTENDANCE_DATA
from convene.attendance.profile import PROFILE_SECTION
from convene.attendance.recipients import GROUPS
from convene.attendance.reminders import reminders_schedule
from convene.console.extensions import DASHBOARD_COLUMNS, DASHBOARD_PANELS, RECIPIENT_GROUPS
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.core.outbox import EMAIL_KINDS, SCHEDULED_JOBS, EmailKind, ScheduledJob
from convene.events.extensions import ORGANISER_NAV, PAGES, NavEntry

PAGES.register(AttendanceExtension())
ORGANISER_NAV.register(
    NavEntry("registrations", "Registrations", "attendance:orga_registrations", order=70)
)
ORGANISER_NAV.register(NavEntry("numbers", "Attendance", "attendance:orga_numbers", order=80))
PERSONAL_DATA.register(ATTENDANCE_DATA)
PROFILE_SECTIONS.register(PROFILE_SECTION)
for kind in Kind:
    EMAIL_KINDS.register(EmailKind(kind.value, build_message))
SCHEDULED_JOBS.register(ScheduledJob("reminders recorded", reminders_schedule))
AUDIT_ACTIONS.register(AuditAction("attendance.marked", "Marked a person as attended"))
AUDIT_ACTIONS.register(AuditAction("attendance.unmarked", "Unmarked a person's attendance"))
for column in dashboard.COLUMNS:
    DASHBOARD_COLUMNS.register(column)
DASHBOARD_PANELS.register(dashboard.PANEL)
for group in GROUPS:
    RECIPIENT_GROUPS.register(group)
