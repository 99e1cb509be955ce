"""What live plugs in (core/hooks.py): the room panels on event and session
pages, the chat settings page of the organiser area (and its summary on the
event's settings page), a person's messages in "download my data", the demo's
rooms, the chat settings of an event copied from another, the chat columns of
the organiser console's dashboard."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.console.extensions import DASHBOARD_COLUMNS, SessionColumn
from convene.core.audit import AUDIT_ACTIONS, AuditAction
from convene.events.extensions import (
    DEMO_DATA,
    EVENT_COPIED,
    ORGANISER_NAV,
    PAGES,
    SETTINGS_SECTIONS,
    NavEntry,
    SettingsSection,
)
from convene.live import selectors
from convene.live.demo import demo_rooms_load
from convene.live.panels import LiveExtension, chat_retention_section
from convene.live.privacy import PERSONAL_DATA as LIVE_DATA
from convene.live.services import chat_settings_copy

PAGES.register(LiveExtension())
ORGANISER_NAV.register(NavEntry("chat", "Chat settings", "live:event_settings", order=90))
SETTINGS_SECTIONS.register(
    SettingsSection("chat", "Data retention of chat messages", chat_retention_section)
)
EVENT_COPIED.register(chat_settings_copy)
PERSONAL_DATA.register(LIVE_DATA)
DEMO_DATA.register(demo_rooms_load)
for code, label in [
    ("live.hide", "Hid a chat message"),
    ("live.mute", "Muted a person in a chat"),
    ("live.unmute", "Unmuted a person in a chat"),
    ("live.slow_mode", "Changed a chat's slow mode"),
    ("live.close", "Closed a chat"),
    ("live.reopen", "Reopened a chat"),
    ("live.unpin", "Unpinned a chat's prompt"),
    ("live.question", "Marked a chat message as a question"),
    ("live.unquestion", "Unmarked a chat message as a question"),
]:
    AUDIT_ACTIONS.register(AuditAction(code, label))
DASHBOARD_COLUMNS.register(
    SessionColumn("live.messages", "Chat messages", selectors.chat_messages_by_session, order=40)
)
DASHBOARD_COLUMNS.register(
    SessionColumn("live.chatters", "Active chatters", selectors.chatters_by_session, order=50)
)
