"""Warm a new worker before its first request (the ASGI lifespan start-up).

Django builds much on the first request: the URL resolver (which imports every
URLconf, the API's django-ninja schema among them), the templates (each parsed
on first use, then kept by the cached loader), the static files manifest, and
the modules views import only when called. A worker added under load would
make its first visitors wait about a second for that (bench/README.md). The
start-up step does it all first, and then asks for the home page once itself (the
first database connection, Django's worker thread, the middleware), so the first
visitor's request costs what later ones do.
"""

import asyncio
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


def _warm_host() -> str:
    """A host name Django accepts (ALLOWED_HOSTS), for the start-up's own request."""
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host:
            return host.lstrip(".")
    return "localhost"


class Lifespan:
    """Answers the ASGI lifespan protocol around `app`: at start-up it runs `startup`,
    then sends `app` one request for each of `paths` (the home page), in this process,
    so the first database connection, the worker thread and every middleware are made
    before a visitor's request (its answer is thrown away)."""

    def __init__(
        self, app: ASGIApp, startup: Callable[[], object], paths: tuple[str, ...] = ("/",)
    ) -> None:
        self.app, self.startup, self.paths = app, startup, paths

    async def _request(self, path: str) -> int:
        done = asyncio.Event()
        status = 0

        async def receive() -> Message:
            if done.is_set():
                await asyncio.Event().wait()
            done.set()
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        host = _warm_host()
        await self.app(
            {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "https",  # no redirect to HTTPS in production
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": [(b"host", host.encode()), (b"user-agent", b"convene-warm-up")],
                "client": ("127.0.0.1", 0),
                "server": (host, 443),
            },
            receive,
            send,
        )
        return status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.startup()
                for path in self.paths:
                    try:
                        status = await self._request(path)
                    except Exception:  # a warm-up failure must not stop the worker
                        logger.warning("Warm-up request for %s failed", path, exc_info=True)
                    else:
                        if status != 200:
                            logger.info("Warm-up request for %s answered %s", path, status)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
