"""Settings for bench/live.py's server: Convene's, plus the live room tunables
the benchmark varies (from the environment)."""

import os

from convene.settings import *  # noqa: F403 - the production settings, unchanged

LIVE_FANOUT_MODE = os.environ.get("LIVE_FANOUT_MODE", "direct")
LIVE_CLIENT_BACKLOG = int(os.environ.get("LIVE_CLIENT_BACKLOG", "100"))
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - from convene.settings
