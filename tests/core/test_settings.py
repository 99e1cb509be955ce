"""settings.py as an operator meets it: `manage.py` run in a fresh process with a
controlled environment, so each test sees exactly the variables it sets.

Production (DEBUG unset) passes `check --deploy`; a bad value stops start-up
with one line naming the variable; the embedded default and the scale-out shape
(PostgreSQL + Redis) pick the backends README.md promises ("Scaling out"), and those
backends work.
"""

import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from convene.settings import (
    _database,
    _log_level,
    _mailer,
    _rate_limit,
    _redis_url,
    _site_url,
    _zone,
)

# Settings are read in child processes with their own environment, so these
# tests do not depend on the test database: `make test` runs them once, not
# again in its PostgreSQL pass.
pytestmark = pytest.mark.settings_process

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = secrets.token_urlsafe(64)
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
# Warnings are errors in the child too, except WhiteNoise's note that
# collectstatic has not filled STATIC_ROOT (production pages need that step).
CHILD_WARNINGS = "error,ignore:No directory at:UserWarning"


def production(**changes: str | None) -> dict[str, str]:
    """The environment of a production start-up; a change of None removes a variable."""
    env = {
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "convene.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://convene.example.org",
        "SITE_URL": "https://convene.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587?tls=true",
    }
    env.update(changes)
    return {name: value for name, value in env.items() if value is not None}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `python <args>` in the project root with only PATH and `env` set."""
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONWARNINGS": CHILD_WARNINGS, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def shell(code: str, *, env: dict[str, str]) -> dict:
    """Run `code` in `manage.py shell`; it prints one JSON object, which we return."""
    result = run("manage.py", "shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


# --- Production: check --deploy is clean ------------------------------------


def test_production_environment_passes_check_deploy_without_a_warning():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


def test_production_behind_a_tls_proxy_passes_check_deploy_too():
    env = production(BEHIND_TLS_PROXY="true")

    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_production_security_settings():
    values = shell(
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'hsts_sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'preload': s.SECURE_HSTS_PRELOAD,"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'static': s.STORAGES['staticfiles']['BACKEND'],"
        "'hosts': s.ALLOWED_HOSTS, 'origins': s.CSRF_TRUSTED_ORIGINS, 'site': s.SITE_URL}))",
        env=production(),
    )

    assert values == {
        "debug": False,
        "ssl_redirect": True,
        "hsts": 31_536_000,
        "hsts_sub": True,
        "preload": True,
        "session_secure": True,
        "csrf_secure": True,
        "proxy": None,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "hosts": ["convene.example.org"],
        "origins": ["https://convene.example.org"],
        "site": "https://convene.example.org",
    }


# A POST to a GET-only page answers 405 before any template or query runs, so
# these requests show what the security middleware does and nothing else.
_PROBE = (
    "import json; from django.test import Client; "
    "r = Client().post('/', headers={{'host': 'convene.example.org'{proto}}}); "
    "print(json.dumps({{'status': r.status_code, 'location': r.get('Location'),"
    " 'hsts': r.get('Strict-Transport-Security')}}))"
)


def test_production_redirects_plain_http_to_https():
    answer = shell(_PROBE.format(proto=""), env=production())

    assert answer == {"status": 301, "location": "https://convene.example.org/", "hsts": None}


def test_production_ignores_x_forwarded_proto_unless_behind_a_tls_proxy():
    answer = shell(_PROBE.format(proto=", 'x-forwarded-proto': 'https'"), env=production())

    assert answer["status"] == 301


def test_behind_a_tls_proxy_https_requests_are_served_with_hsts():
    env = production(BEHIND_TLS_PROXY="true")

    answer = shell(_PROBE.format(proto=", 'x-forwarded-proto': 'https'"), env=env)

    assert answer == {
        "status": 405,
        "location": None,
        "hsts": "max-age=31536000; includeSubDomains; preload",
    }


def test_a_short_hsts_can_be_chosen_while_trying_https_out():
    values = shell(
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT]))",
        env=production(SECURE_HSTS_SECONDS="3600", SECURE_SSL_REDIRECT="false"),
    )

    assert values == [3600, False]


def test_live_room_settings_come_from_the_environment():
    values = shell(
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.LIVE_MESSAGE_MAX_LENGTH, s.LIVE_RATE_LIMIT, s.LIVE_HISTORY, s.LIVE_CLIENT_BACKLOG,"
        " s.LIVE_DIRECT_WRITES, s.LIVE_WEBSOCKET_TIMEOUT, s.LIVE_SSE_SECONDS]))",
        env=production(
            LIVE_MESSAGE_MAX_LENGTH="500",
            LIVE_RATE_LIMIT="3/60",
            LIVE_HISTORY="50",
            LIVE_CLIENT_BACKLOG="200",
            LIVE_DIRECT_WRITES="false",
            LIVE_WEBSOCKET_TIMEOUT="8",
            LIVE_SSE_SECONDS="25",
        ),
    )

    assert values == [500, [3, 60], 50, 200, False, 8, 25]


# --- Bad values stop start-up -----------------------------------------------

BAD_VALUES = [
    ("SECRET_KEY", None, "is required but not set"),
    ("EMAIL_URL", None, "is required but not set"),
    ("DEBUG", "maybe", "expected true/false (or 1/0, yes/no, on/off), got 'maybe'"),
    ("DATABASE_URL", "mysql://x", "use a sqlite:// or postgres:// URL, got 'mysql'"),
    ("REDIS_URL", "http://x", "use a redis:// or rediss:// URL, got 'http://x'"),
    ("TIME_ZONE", "Mars/Base", "unknown time zone 'Mars/Base'"),
    ("EMAIL_URL", "carrier-pigeon://x", "unknown scheme 'carrier-pigeon'"),
    ("EMAIL_URL", "smtp://mail.example.org?tls=maybe", "tls must be true or false, got 'maybe'"),
    ("SECURE_HSTS_SECONDS", "-1", "must be at least 0, got -1"),
    ("SECURE_HSTS_SECONDS", "a year", "expected a whole number, got 'a year'"),
    ("SECURE_SSL_REDIRECT", "sometimes", "expected true/false"),
    ("BEHIND_TLS_PROXY", "perhaps", "expected true/false"),
    ("SITE_URL", "convene.example.org", "use an http:// or https:// address"),
    ("LOG_LEVEL", "LOUD", "use DEBUG, INFO, WARNING, ERROR or CRITICAL, got 'LOUD'"),
    ("DATABASE_POOL_SIZE", "-1", "must be at least 0, got -1"),
    ("LIVE_RATE_LIMIT", "5 per 10", "use messages/seconds, such as 5/10, got '5 per 10'"),
    ("LIVE_MESSAGE_MAX_LENGTH", "5000", "must be at most 4000, got 5000"),
    ("LIVE_DIRECT_WRITES", "fast", "expected true/false"),
]


@pytest.mark.parametrize(("name", "value", "problem"), BAD_VALUES)
def test_bad_value_stops_manage_py_with_one_line_naming_the_variable(name, value, problem):
    result = run("manage.py", "check", env=production(**{name: value}))

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith(f"Convene cannot start. Environment variable {name}: {problem}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_bad_value_stops_the_asgi_server_with_the_same_message():
    result = run("-c", "import convene.asgi", env=production(DEBUG="maybe"))

    assert result.returncode == 2
    assert result.stderr == (
        "Convene cannot start. Environment variable DEBUG: "
        "expected true/false (or 1/0, yes/no, on/off), got 'maybe'\n"
    )


def test_development_needs_neither_secret_key_nor_email_url():
    result = run("manage.py", "check", env={"DEBUG": "true"})

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


# --- The embedded default ---------------------------------------------------

_BACKENDS = (
    "import json; from django.conf import settings as s; from django.db import connection; "
    "print(json.dumps({'database': s.DATABASES['default']['ENGINE'], 'vendor': connection.vendor,"
    " 'name': str(s.DATABASES['default']['NAME']),"
    " 'options': s.DATABASES['default'].get('OPTIONS', {}),"
    " 'cache': s.CACHES['default']['BACKEND'],"
    " 'channels': s.CHANNEL_LAYERS['default']['BACKEND'],"
    " 'tasks': s.TASKS['default']['BACKEND'],"
    " 'mailer': s.MAILERS['default']['BACKEND'],"
    " 'time_zone': s.TIME_ZONE}))"
)


def test_embedded_default_is_sqlite_in_memory_layers_database_tasks_and_console_email():
    backends = shell(_BACKENDS, env={"DEBUG": "true"})

    assert backends["database"] == "django.db.backends.sqlite3"
    assert backends["name"] == str(ROOT / "db.sqlite3")
    assert backends["options"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL;" in backends["options"]["init_command"]
    assert backends["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert backends["channels"] == "channels.layers.InMemoryChannelLayer"
    assert backends["tasks"] == "django_tasks_db.DatabaseBackend"
    assert backends["mailer"] == "convene.core.mail.EmailBackend"
    assert backends["time_zone"] == "Europe/London"


def test_sqlite_connections_use_wal_and_take_the_write_lock_at_begin(tmp_path):
    path = tmp_path / "convene.sqlite3"
    code = f"""
import json, sqlite3
from django.db import connection, transaction

def pragma(name):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA " + name)
        return cursor.fetchone()[0]

found = {{n: pragma(n) for n in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}}
other = sqlite3.connect({str(path)!r}, timeout=0, isolation_level=None)
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # only a read: a DEFERRED transaction would lock nothing
    try:
        other.execute("BEGIN IMMEDIATE")
        found["second_writer"] = "got the lock"
        other.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        found["second_writer"] = str(exc)
found["transaction_mode"] = connection.transaction_mode
other.close()
print(json.dumps(found))
"""

    found = shell(code, env={"DEBUG": "true", "DATABASE_URL": f"sqlite:///{path}"})

    assert found == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL: safe with WAL, far fewer fsyncs
        "foreign_keys": 1,
        "busy_timeout": 20000,
        "second_writer": "database is locked",
        "transaction_mode": "IMMEDIATE",
    }
    with closing(sqlite3.connect(path)) as check:  # WAL is a property of the file: it stays
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# --- The scale-out shape: PostgreSQL and Redis ------------------------------

# Skipped only on a developer's machine without the services; in CI (CI=true)
# they always run, and fail if .ci/run could not start the services.
needs_postgres_and_redis = pytest.mark.skipif(
    not os.environ.get("CI")
    and not (reachable("127.0.0.1", 5432) and reachable("127.0.0.1", 6379)),
    reason="PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (.ci/run starts them)",
)


@needs_postgres_and_redis
def test_database_and_redis_urls_select_postgresql_redis_cache_and_redis_channel_layer():
    env = {"DEBUG": "true", "DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}

    backends = shell(_BACKENDS, env=env)

    assert backends["database"] == "django.db.backends.postgresql"
    assert backends["vendor"] == "postgresql"
    assert backends["name"] == "postgres"
    assert backends["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert backends["channels"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert backends["tasks"] == "django_tasks_db.DatabaseBackend"


@needs_postgres_and_redis
def test_postgresql_redis_cache_and_channel_layer_really_work():
    code = """
import asyncio, json, uuid
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

key = "settings-test-" + uuid.uuid4().hex
cache.set(key, {"seats": 250}, timeout=30)
cached = cache.get(key)
cache.delete(key)

with connection.cursor() as cursor:
    cursor.execute("SELECT current_database(), 6 * 7")
    database, answer = cursor.fetchone()

async def round_trip():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = "settings-test-" + uuid.uuid4().hex
    await layer.group_add(group, channel)
    await layer.group_send(group, {"type": "chat.message", "text": "hello room"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    await layer.group_discard(group, channel)
    await layer.flush()
    return message

print(json.dumps({"cached": cached, "database": database, "answer": answer,
                  "message": asyncio.run(round_trip())}))
"""
    env = {"DEBUG": "true", "DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}

    found = shell(code, env=env)

    assert found == {
        "cached": {"seats": 250},
        "database": "postgres",
        "answer": 42,
        "message": {"type": "chat.message", "text": "hello room"},
    }


_BACKEND_PIDS = """
import json
from django.db import connection

pids = []
for _ in range(10):  # what a request does: connect, query, close
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pids.append(cursor.fetchone()[0])
    connection.close()
print(json.dumps({"pids": pids, "pooled": connection.pool is not None}))
"""


@needs_postgres_and_redis
@pytest.mark.parametrize(("size", "pooled"), [("4", True), ("0", False)])
def test_postgresql_connections_come_back_from_the_pool(size, pooled):
    env = {"DEBUG": "true", "DATABASE_URL": POSTGRES_URL, "DATABASE_POOL_SIZE": size}

    found = shell(_BACKEND_PIDS, env=env)

    assert found["pooled"] is pooled
    # Pooled, closed connections are lent again (a few server processes answer
    # all ten); without the pool each "request" gets a new server process.
    distinct = len(set(found["pids"]))
    assert distinct <= 4 if pooled else distinct == 10


# --- Parsers behind the URLs ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"BACKEND": "convene.core.mail.EmailBackend"}),
        ("locmem://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        (
            "file:///var/mail/convene",
            {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": "/var/mail/convene"},
            },
        ),
        (
            "smtp://mail.example.org",
            {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "mail.example.org",
                    "port": 25,
                    "username": "",
                    "password": "",
                    "use_ssl": False,
                    "use_tls": False,
                    "timeout": 20,
                },
            },
        ),
        (
            "smtp://convene%40example.org:p%40ss%3Aword@mail.example.org:587?tls=true",
            {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "mail.example.org",
                    "port": 587,
                    "username": "convene@example.org",
                    "password": "p@ss:word",
                    "use_ssl": False,
                    "use_tls": True,
                    "timeout": 20,
                },
            },
        ),
        (
            "smtps://apikey:secret@smtp.example.org",
            {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "smtp.example.org",
                    "port": 465,
                    "username": "apikey",
                    "password": "secret",
                    "use_ssl": True,
                    "use_tls": False,
                    "timeout": 20,
                },
            },
        ),
    ],
)
def test_email_url_becomes_the_default_mailer(url, expected):
    assert _mailer(url) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file://", "file:// needs a folder"),
        ("smtp://", "smtp:// needs a host"),
        ("smtp://mail.example.org:port", "Port could not be cast"),
        ("smtp://mail.example.org?tls=1", "tls must be true or false, got '1'"),
        ("sendmail://", "unknown scheme 'sendmail'"),
    ],
)
def test_unusable_email_url_is_refused(url, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        _mailer(url)


def test_email_url_sends_through_a_real_smtp_server(smtp_server):
    env = {
        "DEBUG": "true",
        "EMAIL_URL": smtp_server.url,
        "DEFAULT_FROM_EMAIL": "Convene <convene@example.org>",
    }
    code = (
        "import json; from django.core.mail import send_mail; "
        "sent = send_mail('Your session starts in one hour', 'Join from the programme page.',"
        " None, ['attendee@example.org']); print(json.dumps({'sent': sent}))"
    )

    assert shell(code, env=env) == {"sent": 1}

    [mail] = smtp_server.received
    assert mail.mail_from == "convene@example.org"
    assert mail.rcpt_tos == ["attendee@example.org"]
    assert mail.message["From"] == "Convene <convene@example.org>"
    assert mail.message["Subject"] == "Your session starts in one hour"
    assert mail.message.get_content() == "Join from the programme page.\n"


SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("sqlite:////srv/convene/db.sqlite3", SQLITE, "/srv/convene/db.sqlite3"),
        ("postgres://convene:pw@db.internal:5432/convene", POSTGRESQL, "convene"),
        ("postgresql://convene@db.internal/convene", POSTGRESQL, "convene"),
    ],
)
def test_database_url_is_parsed(url, engine, name):
    config = _database(url)

    assert (config["ENGINE"], config["NAME"]) == (engine, name)


def test_sqlite_database_url_gets_the_wal_immediate_options_and_no_health_checks():
    config = _database("sqlite:////srv/convene/db.sqlite3")

    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["CONN_HEALTH_CHECKS"] is False


def test_postgres_database_url_checks_connection_health_and_pools_connections():
    config = _database("postgres://convene@db.internal/convene")

    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 0  # Django's pool needs it
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 10, "timeout": 20}


@pytest.mark.parametrize("url", ["redis://cache:6379/1", "rediss://cache:6380/0", "unix:///r.sock"])
def test_redis_url_accepts_redis_schemes(url):
    assert _redis_url(url) == url


@pytest.mark.parametrize(
    ("parse", "good", "expected"),
    [
        (_zone, "America/New_York", "America/New_York"),
        (_site_url, "https://convene.example.org/", "https://convene.example.org"),
        (_log_level, "warning", "WARNING"),
        (_rate_limit, "3/60", (3, 60)),
    ],
)
def test_other_parsers_accept_good_values(parse, good, expected):
    assert parse(good) == expected


@pytest.mark.parametrize(
    ("parse", "bad"),
    [
        (_zone, "../../etc/passwd"),
        (_zone, "Europe/Atlantis"),
        (_site_url, "https://"),
        (_site_url, "ftp://convene.example.org"),
        (_log_level, "verbose"),
        (_redis_url, "memcached://cache:11211"),
        (_rate_limit, "5"),
        (_rate_limit, "0/10"),
        (_rate_limit, "5/-10"),
    ],
)
def test_other_parsers_refuse_bad_values(parse, bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        parse(bad)


# --- Content-Security-Policy ------------------------------------------------


def _policy(header: str) -> dict[str, str]:
    """'default-src 'self'; img-src 'self' data:' -> {directive: sources}"""
    policy = {}
    for directive in header.split(";"):
        name, _, sources = directive.strip().partition(" ")
        policy[name] = sources
    return policy


class _InlineFinder(HTMLParser):
    """Collects what the policy would block: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        self.inline += [f"{name}= on <{tag}>" for name in names if name == "style"]
        self.inline += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]


@pytest.mark.django_db
def test_pages_send_a_policy_without_unsafe_inline(client, session):
    urls = [
        reverse("events:home"),
        reverse("events:programme", kwargs={"event": session.event.slug}),
        reverse("account_login"),
    ]

    for url in urls:
        response = client.get(url)

        assert response.status_code == 200, url
        header = response["Content-Security-Policy"]
        policy = _policy(header)
        assert "unsafe-inline" not in header
        assert "unsafe-eval" not in header
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_contain_nothing_the_policy_would_block(client, session):
    urls = [
        reverse("events:home"),
        reverse("events:event", kwargs={"event": session.event.slug}),
        reverse("events:programme", kwargs={"event": session.event.slug}),
        session.get_absolute_url(),
        reverse("account_login"),
    ]

    for url in urls:
        finder = _InlineFinder()
        finder.feed(client.get(url).content.decode())

        assert finder.inline == [], url


# --- Documentation names every variable -------------------------------------


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "convene" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def test_settings_reads_the_variables_we_expect_at_least():
    assert {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "TIME_ZONE",
    } <= _variables_read_by_settings()


@pytest.mark.parametrize("document", [".env.example", "README.md", "docs/operators.md"])
def test_every_variable_settings_reads_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")

    missing = {name for name in _variables_read_by_settings() if name not in text}

    assert missing == set(), f"{document} does not mention {sorted(missing)}"
