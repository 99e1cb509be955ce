"""Real worker processes for the exactly-once tests: `manage.py db_worker` (or any
command) run against the suite's database (SQLite file or PostgreSQL) and the
test's SMTP server (tests/smtp.py). Used by tests/attendance/test_workers.py and
tests/events/test_invitation_emails.py."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def task_env(smtp) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "convene.settings",
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
    }


def manage(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def workers_at_once(env: dict[str, str], count: int = 2) -> None:
    args = ["db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"]
    workers = [manage(*args, "--worker-id", f"w{n}", env=env) for n in range(count)]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output
