"""What accounts plugs in (core/hooks.py): the audit log's part of a person's data
(core cannot register into accounts, which it does not import)."""

from convene.accounts.extensions import PERSONAL_DATA, PersonalData
from convene.core import audit

PERSONAL_DATA.register(PersonalData("audit_log", audit.person_export, audit.person_erase))
