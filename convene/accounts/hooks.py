"""What accounts plugs in (core/hooks.py): the audit log's part of a person's data
(core cannot register into accounts, which it does not import), and the changes its
services write to that log."""

from convene.accounts.extensions import PERSONAL_DATA, PersonalData
from convene.core import audit
from convene.core.audit import AUDIT_ACTIONS, AuditAction

PERSONAL_DATA.register(PersonalData("audit_log", audit.person_export, audit.person_erase))
AUDIT_ACTIONS.register(
    AuditAction("accounts.event_creation_allowed", "Allowed someone to create events")
)
AUDIT_ACTIONS.register(
    AuditAction("accounts.event_creation_withdrawn", "Withdrew someone's right to create events")
)
