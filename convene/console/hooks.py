"""What the organiser console plugs in (core/hooks.py): its organiser pages, its own
panel of the dashboard (the per-session table), the email of a message to a group, the
groups it fills itself, what it holds about a person, the changes its services write to
the audit log, and an example message for the demo."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.console.dashboard import sessions_panel
from convene.console.demo import demo_messages_load
from convene.console.emails import build_group_message
from convene.console.extensions import DASHBOARD_PANELS, RECIPIENT_GROUPS, DashboardPanel
from convene.console.groups import GROUPS
from convene.console.models import GROUP_MESSAGE
from convene.console.privacy import PERSONAL_DATA as CONSOLE_DATA
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.core.outbox import EMAIL_KINDS, EmailKind
from convene.events.extensions import DEMO_DATA, ORGANISER_NAV, NavEntry

# The dashboard
ORGANISER_NAV.register(NavEntry("dashboard", "Dashboard", "console:dashboard", order=1))
DASHBOARD_PANELS.register(DashboardPanel("console.sessions", order=20, render=sessions_panel))

# Messages to groups
ORGANISER_NAV.register(NavEntry("messages", "Messages", "console:messages", order=85))
EMAIL_KINDS.register(EmailKind(GROUP_MESSAGE, build_group_message))
for group in GROUPS:
    RECIPIENT_GROUPS.register(group)
PERSONAL_DATA.register(CONSOLE_DATA)
AUDIT_ACTIONS.register(AuditAction("console.message_sent", "Sent a message to a group"))
DEMO_DATA.register(demo_messages_load)
