"""ASGI entry point: HTTP through Django; WebSockets join here when live rooms land."""

import os
import sys
import warnings

from django.core.asgi import get_asgi_application

from convene.core.env import EnvError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings")

# WhiteNoise serves static files with a synchronous iterator; under ASGI Django
# warns on every file. The files are small and cached by browsers, so we accept
# the thread hop and silence the noise rather than flood the log.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

try:
    application = get_asgi_application()
except EnvError as exc:
    print(f"Convene cannot start. {exc}", file=sys.stderr)  # noqa: T201 - before logging exists
    raise SystemExit(2) from None
