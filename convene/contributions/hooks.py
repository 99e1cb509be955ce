"""What contributions plugs in (core/hooks.py): the boards' panels on event,
session and principle pages; "Save as top tip" on chat messages; a person's
contributions in "download my data"; the answer email; the demo's boards; its
columns and panels on the organiser console's dashboard."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.console.extensions import DASHBOARD_COLUMNS, DASHBOARD_PANELS
from convene.contributions import dashboard, notifications
from convene.contributions.chat_actions import MESSAGE_ACTIONS as CONTRIBUTION_ACTIONS
from convene.contributions.demo import demo_contributions_load
from convene.contributions.panels import ContributionsExtension, ContributionsLens
from convene.contributions.privacy import PERSONAL_DATA as CONTRIBUTIONS_DATA
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.core.outbox import EMAIL_KINDS, EmailKind
from convene.events.extensions import DEMO_DATA, PAGES
from convene.live.extensions import MESSAGE_ACTIONS
from convene.spread.extensions import PRINCIPLE_SECTIONS

PAGES.register(ContributionsExtension())
PRINCIPLE_SECTIONS.register(ContributionsLens())
for action in CONTRIBUTION_ACTIONS:
    MESSAGE_ACTIONS.register(action)
PERSONAL_DATA.register(CONTRIBUTIONS_DATA)
EMAIL_KINDS.register(EmailKind(notifications.KIND, notifications.build_message))
DEMO_DATA.register(demo_contributions_load)
for code, label in [
    ("contributions.hidden", "Hid a contribution"),
    ("contributions.restored", "Showed a hidden contribution again"),
    ("contributions.answer_saved", "Saved an answer to a question"),
    ("contributions.answer_published", "Published an answer to a question"),
    ("contributions.answer_unpublished", "Took an answer off the session page"),
]:
    AUDIT_ACTIONS.register(AuditAction(code, label))
for column in dashboard.COLUMNS:
    DASHBOARD_COLUMNS.register(column)
for panel in dashboard.PANELS:
    DASHBOARD_PANELS.register(panel)
