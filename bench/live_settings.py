"""Settings for bench/live.py's server: Convene's own, read from the environment as in
production (bench/live.py sets LIVE_CLIENT_BACKLOG and LIVE_DIRECT_WRITES there),
with a quieter log."""

from convene.settings import *  # noqa: F403 - the production settings, unchanged

LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - from convene.settings
