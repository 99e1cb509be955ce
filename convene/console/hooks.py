"""What the console plugs in (core/hooks.py): its pages of the organiser area and
its own panel of the dashboard (the per-session table)."""

from convene.console.dashboard import sessions_panel
from convene.console.extensions import DASHBOARD_PANELS, DashboardPanel
from convene.events.extensions import ORGANISER_NAV, NavEntry

ORGANISER_NAV.register(NavEntry("dashboard", "Dashboard", "console:dashboard", order=1))
DASHBOARD_PANELS.register(DashboardPanel("console.sessions", order=20, render=sessions_panel))
