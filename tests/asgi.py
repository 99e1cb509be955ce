"""The site's own ASGI application (convene.asgi), called in this process as uvicorn
calls it: the response cache, the body limit and Django with every middleware.

Django's test client skips the ASGI layers, so tests of the response cache use
this. The view runs in Django's worker thread with its own database connection:
mark such tests `django_db(transaction=True)` so it sees their rows.
"""

import asyncio
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode()


def site():
    """(the ASGI application, its response cache)."""
    from convene import asgi

    return asgi.application, asgi.response_cache


async def _call(
    method: str, path: str, headers: dict[str, str], scheme: str, application=None
) -> Answer:
    application = application or site()[0]
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443 if scheme == "https" else 80),
    }
    messages: list[dict] = []
    asked = False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict) -> None:
        messages.append(message)

    try:
        await application(scope, receive, send)
    finally:
        # Each call has its own event loop: the stamp reader's connection goes with it.
        await site()[1].reader.aclose()
        if hasattr(application, "reader"):
            await application.reader.aclose()
    start = messages[0]
    names: dict[str, str] = {}
    cookies = []
    for name, value in start["headers"]:
        key, text = name.decode().lower(), value.decode("latin-1")
        if key == "set-cookie":
            cookies.append(text)
        names[key] = f"{names[key]}, {text}" if key in names else text
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return Answer(status=start["status"], headers=names, body=body, cookies=cookies)


def get(
    path: str,
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    scheme: str = "http",
    application=None,
) -> Answer:
    """One request through the whole ASGI application (or `application`, another one)."""
    return asyncio.run(_call(method, path, headers or {}, scheme, application))
