"""What live plugs in (core/hooks.py): the room panels on event and session
pages, the chat settings page of the organiser area, a person's messages in
"download my data", the demo's rooms, the chat columns of the organiser
console's dashboard."""

from convene.accounts.extensions import PERSONAL_DATA
from convene.console.extensions import DASHBOARD_COLUMNS, SessionColumn
from convene.events.extensions import DEMO_DATA, ORGANISER_NAV, PAGES, NavEntry
from convene.live import selectors
from convene.live.demo import demo_rooms_load
from convene.live.panels import LiveExtension
from convene.live.privacy import PERSONAL_DATA as LIVE_DATA

PAGES.register(LiveExtension())
ORGANISER_NAV.register(NavEntry("chat", "Chat settings", "live:event_settings", order=90))
PERSONAL_DATA.register(LIVE_DATA)
DEMO_DATA.register(demo_rooms_load)
DASHBOARD_COLUMNS.register(
    SessionColumn("live.messages", "Chat messages", selectors.chat_messages_by_session, order=40)
)
DASHBOARD_COLUMNS.register(
    SessionColumn("live.chatters", "Active chatters", selectors.chatters_by_session, order=50)
)
