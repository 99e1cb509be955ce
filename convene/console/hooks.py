"""What the organiser console plugs in (core/hooks.py): its organiser pages, the email of
a message to a group, the groups it fills itself, what it holds about a person, and
the changes its services write to the audit log, and an example message for the demo."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.console.demo import demo_messages_load
from convene.console.emails import build_group_message
from convene.console.extensions import RECIPIENT_GROUPS
from convene.console.groups import GROUPS
from convene.console.models import GROUP_MESSAGE
from convene.console.privacy import PERSONAL_DATA as CONSOLE_DATA
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.core.outbox import EMAIL_KINDS, EmailKind
from convene.events.extensions import DEMO_DATA, ORGANISER_NAV, NavEntry

# Messages to groups
ORGANISER_NAV.register(NavEntry("messages", "Messages", "console:messages", order=85))
EMAIL_KINDS.register(EmailKind(GROUP_MESSAGE, build_group_message))
for group in GROUPS:
    RECIPIENT_GROUPS.register(group)
PERSONAL_DATA.register(CONSOLE_DATA)
AUDIT_ACTIONS.register(AuditAction("console.message_sent", "Sent a message to a group"))
DEMO_DATA.register(demo_messages_load)
