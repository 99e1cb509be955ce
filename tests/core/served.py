"""The site served as `make run` serves it (scripts/serve.sh, via tests/live/e2e.py),
a small browser that keeps cookies and can speak from another loopback address,
and nginx in front with the proxy lines the operators' guide gives."""

import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.live import e2e

NGINX_SNIPPET = e2e.ROOT / "docs" / "nginx-proxy.conf"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def served(database: Path, folder: Path, **env: str) -> e2e.Server:
    """uvicorn started by scripts/serve.sh on a copy of `database`; log: folder/server.log."""
    copy = folder / "served.sqlite3"
    shutil.copy(database, copy)
    return e2e.Server(e2e.environment(copy, **env), folder / "server.log", script=True)


class Browser:
    """One visitor: a fresh connection per request from `source` (any 127.x address
    is this machine), the cookies the site set, and any extra headers."""

    def __init__(self, port: int, *, source: str = "127.0.0.1") -> None:
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            e2e.HOST, self.port, timeout=30, source_address=(self.source, 0)
        )
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def post_form(self, path: str, form: dict, *, headers: dict | None = None) -> tuple[int, str]:
        """GET the page (for its CSRF token), then POST the form to it: (status, page)."""
        _, page = self.request("GET", path, headers=headers)
        token = _CSRF.search(page)
        assert token, f"no CSRF token on {path}"
        return self.request(
            "POST", path, form={"csrfmiddlewaretoken": token.group(1), **form}, headers=headers
        )


class Nginx:
    """nginx on a free port, proxying to `upstream` with docs/nginx-proxy.conf."""

    def __init__(self, upstream: int, folder: Path) -> None:
        binary = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            pytest.fail("nginx is missing: `make nginx` installs Debian's")
        self.port = e2e.free_port()
        self.folder = folder
        config = folder / "nginx.conf"
        config.write_text(
            f"""
daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen {e2e.HOST}:{self.port};
        location / {{
            proxy_pass http://{e2e.HOST}:{upstream};
            include {NGINX_SNIPPET};
        }}
    }}
}}
"""
        )
        self.process = subprocess.Popen(  # noqa: S603 - nginx and a config we wrote
            [binary, "-e", str(folder / "nginx-error.log"), "-p", str(folder), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"nginx stopped:\n{(folder / 'nginx-error.log').read_text()}")
            try:
                Browser(self.port).request("GET", "/")
            except OSError:
                time.sleep(0.1)
            else:
                return
        pytest.fail("nginx did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
