"""A new worker warms itself at start-up (core.warm, decision 0023): the ASGI lifespan
start-up runs every warm-up step before uvicorn takes requests, and none fails."""

import asyncio
import logging

from convene.core.warm import LAZY_MODULES, Lifespan, warm_up


def test_every_warm_up_step_runs_without_a_failure(caplog):
    with caplog.at_level(logging.WARNING, logger="convene.core.warm"):
        timings = warm_up()

    assert {"urls", "modules", "templates"} <= set(timings)  # and static without DEBUG
    assert caplog.records == []


def test_the_lazy_modules_exist():
    import importlib.util

    assert all(importlib.util.find_spec(name) for name in LAZY_MODULES)


def test_the_lifespan_starts_and_stops_around_the_application():
    started = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    async def application(scope, receive, send):  # pragma: no cover - not called
        raise AssertionError("the lifespan is answered by the wrapper")

    asyncio.run(
        Lifespan(application, startup=lambda: started.append(True))(
            {"type": "lifespan"}, receive, send
        )
    )

    assert started == [True]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
