"""Warm a new worker before its first request (the ASGI lifespan start-up).

Django builds much on the first request: the URL resolver (which imports every
URLconf, the API's django-ninja schema among them), the templates (each parsed
on first use, then kept by the cached loader), the static files manifest, and
the modules views import only when called. A worker added under load would
make its first visitors wait about a second for that (bench/README.md). The
start-up step does it all first, so the first request costs what later ones do.
"""

import importlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Imported lazily by views and template tags; loaded here once.
LAZY_MODULES = ("icalendar", "markdown", "nh3", "convene.api.api")


def _template_names() -> Iterable[tuple[Any, str]]:
    from django.conf import settings
    from django.template import engines

    ours = Path(settings.BASE_DIR) / "convene"
    for engine in engines.all():
        for directory in getattr(engine, "template_dirs", ()):
            root = Path(directory)
            if not root.is_relative_to(ours):  # the admin's and allauth's: not public pages
                continue
            for path in root.rglob("*"):
                if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".md"}:
                    yield engine, path.relative_to(root).as_posix()


def warm_up() -> dict[str, float]:
    """Import, compile and resolve what requests need; seconds per step."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.urls import get_resolver

    timings: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        try:
            work()
        except Exception:  # a warm-up failure must not stop the worker
            logger.warning("Warm-up step %s failed", name, exc_info=True)
        timings[name] = time.perf_counter() - started

    def resolver() -> None:
        urls = get_resolver()
        urls.reverse_dict  # noqa: B018 - builds the reverse lookup of every URLconf
        urls.resolve("/")

    def modules() -> None:
        for name in LAZY_MODULES:
            importlib.import_module(name)

    def templates() -> None:
        for engine, name in _template_names():
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):  # partial files, other engines
                continue

    def static() -> None:
        staticfiles_storage.url("dist/convene.css")

    step("urls", resolver)
    step("modules", modules)
    step("templates", templates)
    if not settings.DEBUG:
        step("static", static)
    return timings


class Lifespan:
    """Answers the ASGI lifespan protocol around `app`, running `startup` first."""

    def __init__(self, app: ASGIApp, startup: Callable[[], object]) -> None:
        self.app, self.startup = app, startup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
