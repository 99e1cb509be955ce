"""A person manages only their own profile and data; superusers say who may create events."""

import rules

rules.add_perm("accounts.view_own_profile", rules.is_authenticated)
rules.add_perm("accounts.change_own_profile", rules.is_authenticated)
rules.add_perm("accounts.export_own_data", rules.is_authenticated)
rules.add_perm("accounts.delete_own_account", rules.is_authenticated)
# The organiser area's "Who may create events" page (docs/decisions/0025).
rules.add_perm("accounts.manage_event_creators", rules.is_superuser)
