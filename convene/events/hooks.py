"""What the events app plugs in (core/hooks.py): its pages of the organiser area,
the host and team invitation emails, the team invitations' part of "download my
data" and "delete my account", and the changes its services write to the audit log."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.core.outbox import EMAIL_KINDS, EmailKind
from convene.events.emails import (
    HOST_INVITATION,
    TEAM_INVITATION,
    build_host_invitation,
    build_team_invitation,
)
from convene.events.extensions import ORGANISER_NAV, NavEntry
from convene.events.privacy import PERSONAL_DATA as TEAM_INVITATIONS_DATA

for entry in [
    NavEntry("settings", "Event settings", "events:orga_settings", order=5),
    NavEntry("grid", "Programme grid", "events:orga_grid", order=10),
    NavEntry("sessions", "Sessions", "events:orga_sessions", order=20),
    NavEntry("tracks", "Tracks", "events:orga_tracks", order=30),
    NavEntry("problems", "Schedule problems", "events:orga_problems", order=40),
    NavEntry("import", "Import a schedule", "events:orga_import", order=50),
    NavEntry("exports", "Exports", "events:orga_exports", order=60),
    NavEntry("team", "Team and roles", "events:orga_team", order=65),
    NavEntry("log", "Activity log", "events:orga_log", order=900),
]:
    ORGANISER_NAV.register(entry)

EMAIL_KINDS.register(EmailKind(HOST_INVITATION, build_host_invitation))
EMAIL_KINDS.register(EmailKind(TEAM_INVITATION, build_team_invitation))

PERSONAL_DATA.register(TEAM_INVITATIONS_DATA)

for code, label in [
    ("events.session_created", "Added a session"),
    ("events.session_changed", "Changed a session"),
    ("events.session_moved", "Moved a session"),
    ("events.session_cancelled", "Cancelled a session"),
    ("events.session_reinstated", "Reinstated a session"),
    ("events.track_created", "Added a track"),
    ("events.track_renamed", "Renamed a track"),
    ("events.track_deleted", "Deleted a track"),
    ("events.host_added", "Added a host"),
    ("events.host_removed", "Removed a host"),
    ("events.host_invited", "Invited a host"),
    ("events.programme_published", "Published the programme"),
    ("events.programme_unpublished", "Hid the programme"),
    ("events.dates_changed", "Changed the event's dates"),
    ("events.schedule_imported", "Imported a schedule"),
    ("events.team_invited", "Invited someone to the team"),
    ("events.team_invitation_resent", "Re-sent a team invitation"),
    ("events.team_invitation_revoked", "Revoked a team invitation"),
    ("events.team_invitation_accepted", "Accepted a team invitation"),
    ("events.role_added", "Gave a role"),
    ("events.role_removed", "Took away a role"),
    ("events.event_created", "Created the event"),
    ("events.event_copied", "Copied the event from an earlier one"),
    ("events.settings_changed", "Changed the event's settings"),
]:
    AUDIT_ACTIONS.register(AuditAction(code, label))
