"""ASGI entry point: HTTP through Django; WebSockets (live rooms) through Channels.

HTTP request bodies pass a size limit first (core/body_limit.py); anonymous
GETs of public pages are then answered from the response cache when it holds a
current copy (core/response_cache.py, docs/decisions/0022). The lifespan
start-up warms the worker (core/warm.py), so its first request is not slow.

WebSockets pass the allowed-hosts Origin check (against cross-site pages), then
the session cookie's user (Django's rules, as on every page: live/auth.py), then
the live rooms' routes.
"""

import gc
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
    django_application = get_asgi_application()
except EnvError as exc:
    print(f"Convene cannot start. {exc}", file=sys.stderr)  # noqa: T201 - before logging exists
    raise SystemExit(2) from None

# After Django is set up: the consumers use models.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from convene.core.body_limit import BodyLimit  # noqa: E402
from convene.core.response_cache import ResponseCache  # noqa: E402
from convene.core.warm import Lifespan, warm_up  # noqa: E402
from convene.live.auth import SessionUserMiddleware  # noqa: E402
from convene.live.routing import websocket_urlpatterns  # noqa: E402

response_cache = ResponseCache(
    django_application,
    max_bytes=settings.RESPONSE_CACHE_BYTES,
    # Someone signed in (the session) or a message waiting: Django's usual path.
    cookies=(settings.SESSION_COOKIE_NAME, "messages"),
    proto_header=(
        settings.SECURE_PROXY_SSL_HEADER[0].removeprefix("HTTP_").replace("_", "-").lower()
        if settings.SECURE_PROXY_SSL_HEADER
        else None
    ),
)


def _start() -> None:
    warm_up()
    # What start-up loaded lives as long as the process: take it out of the garbage
    # collector's scans, which otherwise pause a busy chat (bench/README.md).
    gc.freeze()


application = Lifespan(
    ProtocolTypeRouter(
        {
            # Bodies over MAX_UPLOAD_MB are refused before Django reads them (413).
            "http": BodyLimit(response_cache, max_bytes=settings.MAX_UPLOAD_BYTES),
            "websocket": AllowedHostsOriginValidator(
                SessionUserMiddleware(URLRouter(websocket_urlpatterns))
            ),
        }
    ),
    startup=_start,
)

# Also without a lifespan (a server started with --lifespan off).
gc.freeze()
