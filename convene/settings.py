"""Convene settings: one module, driven by environment variables.

Every variable is documented in `.env.example` and the README. The embedded
default (no variables but DEBUG) is SQLite + in-process channel layer +
local-memory cache + database task queue + console email. `DATABASE_URL` and
`REDIS_URL` switch to the scale-out shape. A bad value stops start-up with a
message naming the variable (see `convene.core.env`).
"""

from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.utils.csp import CSP

from convene.core.env import env_bool, env_int, env_list, env_parsed, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
# A development key only when DEBUG is on; production must supply its own.
SECRET_KEY = (
    env_str("SECRET_KEY", "django-insecure-development-only") if DEBUG else env_str("SECRET_KEY")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _site_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"use an http:// or https:// address, got {url!r}")
    return url.rstrip("/")


SITE_URL = env_parsed("SITE_URL", "http://127.0.0.1:8000", _site_url)
SITE_NAME = env_str("SITE_NAME", "Convene")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "convene.core",
    "convene.accounts",
    "convene.events",
    "convene.attendance",
    "convene.live",
    "convene.spread",
    "convene.contributions",
    "convene.media",
    "convene.console",
    "convene.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public only what a view made public; everything else private, no-store.
    "convene.core.public_cache.CacheControlMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "convene.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "convene.urls"
ASGI_APPLICATION = "convene.asgi.application"
WSGI_APPLICATION = "convene.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "convene" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "convene.core.context_processors.site",
            ],
        },
    },
]

FORM_RENDERER = "convene.core.forms.NHSFormRenderer"

# --- Data -------------------------------------------------------------------
_SQLITE_OPTIONS = {
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue (busy timeout) instead of failing late.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def _database(url: str) -> dict:
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ValueError(f"use a sqlite:// or postgres:// URL, got {url.split(':')[0]!r}")
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(_SQLITE_OPTIONS)
        config["CONN_HEALTH_CHECKS"] = False
    elif _POOL_SIZE:
        # A pool per process (psycopg_pool): a request borrows a connection and gives
        # it back, instead of PostgreSQL starting a backend for every request. The
        # pool checks a connection before lending it (CONN_HEALTH_CHECKS).
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "pool": {"min_size": 1, "max_size": _POOL_SIZE, "timeout": 20},
        }
    return config


# Connections each process keeps for PostgreSQL (0: a new connection per request).
_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 10, minimum=0)


DATABASES = {
    "default": env_parsed("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", _database)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _redis_url(url: str) -> str:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"use a redis:// or rediss:// URL, got {url!r}")
    return url


REDIS_URL = env_parsed("REDIS_URL", None, _redis_url)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "convene",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "convene"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Whole public answers kept in each process's memory for anonymous visitors
# (core/response_cache.py, docs/decisions/0022); 0 turns the response cache off.
RESPONSE_CACHE_BYTES = env_int("RESPONSE_CACHE_MB", 64, minimum=0) * 1024 * 1024

# Background work always goes through the database queue (SQLite or PostgreSQL);
# `manage.py db_worker` processes it. Several workers are safe on PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Email ------------------------------------------------------------------


def _mailer(url: str) -> dict:
    """Turn EMAIL_URL into Django's MAILERS["default"] entry.

    console://  ·  file:///path/to/dir  ·  smtp://user:pass@host:587?tls=true
    smtps://user:pass@host:465 (implicit TLS)  ·  locmem://
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    backends = "django.core.mail.backends."
    if parts.scheme == "console":
        # Decoded, so links in development mail can be copied (convene/core/mail.py).
        return {"BACKEND": "convene.core.mail.EmailBackend"}
    if parts.scheme == "locmem":
        return {"BACKEND": backends + "locmem.EmailBackend"}
    if parts.scheme == "file":
        if not parts.path:
            raise ValueError("file:// needs a folder, e.g. file:///var/mail/convene")
        return {
            "BACKEND": backends + "filebased.EmailBackend",
            "OPTIONS": {"file_path": parts.path},
        }
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ValueError("smtp:// needs a host, e.g. smtp://mail.example.org:587")
        tls = query.get("tls", "false").lower()
        if tls not in {"true", "false"}:
            raise ValueError(f"tls must be true or false, got {tls!r}")
        return {
            "BACKEND": backends + "smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname,
                "port": parts.port or (465 if parts.scheme == "smtps" else 25),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": parts.scheme == "smtps",
                "use_tls": tls == "true" and parts.scheme == "smtp",
                "timeout": 20,
            },
        }
    raise ValueError(f"unknown scheme {parts.scheme!r}; use console, file, smtp, smtps or locmem")


if not DEBUG:
    # Production must say where mail goes: console output is for development
    # only (`check --deploy` refuses it), and silently losing mail is worse.
    env_str("EMAIL_URL")
MAILERS = {"default": env_parsed("EMAIL_URL", "console://", _mailer)}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Convene <convene@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Registration -------------------------------------------------------------
# How long before a session starts its join link appears to registered people.
JOIN_WINDOW_MINUTES = env_int("JOIN_WINDOW_MINUTES", 15, minimum=0)

# --- Programme ------------------------------------------------------------------
# Days either side of an event's dates its sessions may take place on (decision 0012).
SESSION_DATE_SLACK_DAYS = env_int("SESSION_DATE_SLACK_DAYS", 1, minimum=0, maximum=31)

# --- Live rooms ---------------------------------------------------------------
# What an operator may tune (docs/decisions/0021); the rest are constants in the code
# that uses them (convene/live/consumers.py, selectors.py, transport/hub.py).


def _rate_limit(value: str) -> tuple[int, int]:
    messages, _, seconds = value.partition("/")
    if not (messages.strip().isdigit() and seconds.strip().isdigit()):
        raise ValueError(f"use messages/seconds, such as 5/10, got {value!r}")
    limit = (int(messages), int(seconds))
    if min(limit) < 1:
        raise ValueError(f"both numbers must be at least 1, got {value!r}")
    return limit


# Longest chat message in characters (UTF-16 code units, as a browser's maxlength
# counts). At most 4,000, so that any message fits in one 8,192-character frame.
LIVE_MESSAGE_MAX_LENGTH = env_int("LIVE_MESSAGE_MAX_LENGTH", 1000, minimum=1, maximum=4000)
# Per person: at most this many messages in this many seconds ("5/10"). (With a
# default, env_parsed never gives None.)
LIVE_RATE_LIMIT = cast(tuple[int, int], env_parsed("LIVE_RATE_LIMIT", "5/10", _rate_limit))
# Messages on the room page, per page of history, and in a reset batch (a client
# too far behind to resume).
LIVE_HISTORY = env_int("LIVE_HISTORY", 100, minimum=1, maximum=1000)
# Frames waiting for one slow client before it is disconnected (it resumes by number).
LIVE_CLIENT_BACKLOG = env_int("LIVE_CLIENT_BACKLOG", 100, minimum=1)
# Write each event's frame, encoded once, straight to uvicorn's sockets (decision 0009);
# false: an ASGI send per socket, the slower path every other server gets.
LIVE_DIRECT_WRITES = env_bool("LIVE_DIRECT_WRITES", True)
# Seconds the page waits for a WebSocket before it uses Server-Sent Events and POST.
LIVE_WEBSOCKET_TIMEOUT = env_int("LIVE_WEBSOCKET_TIMEOUT", 5, minimum=1)
# Seconds an SSE response lasts; then the browser reconnects and resumes.
LIVE_SSE_SECONDS = env_int("LIVE_SSE_SECONDS", 55, minimum=1)

# --- Team ---------------------------------------------------------------------
# Days an emailed invitation to an event's team can be accepted (re-sending starts anew).
TEAM_INVITATION_DAYS = env_int("TEAM_INVITATION_DAYS", 14, minimum=1, maximum=365)

# --- People -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Wrong passwords (docs/decisions/0010): 10 a minute from one IP; for one account,
# 5 in 5 minutes and 20 an hour from one IP (accounts.forms.SignInForm), so
# guessing from elsewhere cannot lock the owner out, and 200 an hour from
# everywhere together. The IP is REMOTE_ADDR (ALLAUTH_TRUSTED_PROXY_COUNT below).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,200/h/key",
    "login_failed_from_ip": "5/5m/key,20/h/key",
    # Emails to an address anyone can type: a few an hour, so our sender cannot be
    # used to flood someone's inbox (registration's own limit: attendance/services.py).
    "reset_password": "20/m/ip,3/h/key",
    "confirm_email": "1/3m/key,3/h/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {
    "login": "convene.accounts.forms.SignInForm",
    "signup": "convene.accounts.forms.SignUpForm",
}
# allauth reads the client's IP from REMOTE_ADDR, never from X-Forwarded-For
# itself (anyone can send that header): uvicorn puts the client's address there
# when a trusted proxy sends it (uvicorn --forwarded-allow-ips).
ALLAUTH_TRUSTED_PROXY_COUNT = 0
# Links in allauth's emails from SITE_URL, like ours (decision 0014).
ACCOUNT_ADAPTER = "convene.accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"


def _zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
    return name


TIME_ZONE = env_parsed("TIME_ZONE", "Europe/London", _zone)
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "convene" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_TLS_PROXY", False):
    # Only when a proxy that sets X-Forwarded-Proto terminates TLS in front of us.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _proxy_addresses(value: str) -> list[str]:
    from ipaddress import ip_network

    addresses = [item.strip() for item in value.split(",") if item.strip()]
    for address in addresses:
        try:
            ip_network(address, strict=False)
        except ValueError:
            raise ValueError(
                f"use IP addresses or networks (10.0.0.0/8), comma-separated, got {address!r}"
            ) from None
    return addresses


# The reverse proxies whose X-Forwarded-For names the client (rate limits count it).
# scripts/serve.sh hands the variable to uvicorn; read here so a bad value stops
# start-up. Unset: no proxy is believed and the client is the connection's peer.
FORWARDED_ALLOW_IPS = env_parsed("FORWARDED_ALLOW_IPS", None, _proxy_addresses) or []

# The largest request body, checked before Django reads it (convene/core/body_limit.py).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_MB", 25, minimum=1) * 1024 * 1024
# The largest uploaded recording (convene/media/uploads.py, docs/decisions/0032). A
# recording only arrives if MAX_UPLOAD_MB, the request body limit, is at least as large.
MAX_RECORDING_BYTES = env_int("MAX_RECORDING_MB", 500, minimum=1) * 1024 * 1024
# Within that: form and JSON fields (files excepted) and their number, and the part of
# an upload kept in memory before it goes to a temporary file (Django's defaults,
# stated because the body limit relies on them).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Logging ----------------------------------------------------------------


def _log_level(name: str) -> str:
    level = name.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(f"use DEBUG, INFO, WARNING, ERROR or CRITICAL, got {name!r}")
    return level


# Secrets in URLs become [redacted]; a refused request (4xx) is one line, a 500 keeps
# its traceback. configure() also puts the redaction on uvicorn's access log, whose
# handlers uvicorn set up before Django started (convene/core/logging.py).
LOGGING_CONFIG = "convene.core.logging.configure"
_LOG_LEVEL = env_parsed("LOG_LEVEL", "INFO", _log_level)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "convene.core.logging.RedactSecrets"},
        "client_errors_on_one_line": {"()": "convene.core.logging.ClientErrorsOnOneLine"},
    },
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets", "client_errors_on_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # Django's own handlers (a second console copy with DEBUG, mail to ADMINS, which we
    # do not set) go: its records reach the root's handler, filtered, once.
    "loggers": {"django": {"handlers": [], "level": _LOG_LEVEL}},
}
