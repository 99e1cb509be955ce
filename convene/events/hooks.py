"""What the events app plugs in (core/hooks.py): its pages of the organiser area
and the host invitation email."""

from convene.core.outbox import EMAIL_KINDS, EmailKind
from convene.events.emails import HOST_INVITATION, build_host_invitation
from convene.events.extensions import ORGANISER_NAV, NavEntry

for entry in [
    NavEntry("grid", "Programme grid", "events:orga_grid", order=10),
    NavEntry("sessions", "Sessions", "events:orga_sessions", order=20),
    NavEntry("tracks", "Tracks", "events:orga_tracks", order=30),
    NavEntry("problems", "Schedule problems", "events:orga_problems", order=40),
    NavEntry("import", "Import a schedule", "events:orga_import", order=50),
    NavEntry("exports", "Exports", "events:orga_exports", order=60),
]:
    ORGANISER_NAV.register(entry)

EMAIL_KINDS.register(EmailKind(HOST_INVITATION, build_host_invitation))
