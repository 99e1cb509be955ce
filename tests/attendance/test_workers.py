"""Exactly once with real worker processes: `manage.py db_worker` twice at once,
after a worker that aborted mid-run, on the suite's database (SQLite file or
PostgreSQL, whichever the suite runs on)."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from convene.attendance import reminders, services
from convene.attendance.models import EmailDelivery
from tests.attendance.conftest import register, session_at
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 12

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(smtp) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "convene.settings",
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
    }


def _manage(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _workers_at_once(env: dict[str, str], count: int = 2) -> None:
    args = ["db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"]
    workers = [_manage(*args, "--worker-id", f"w{n}", env=env) for n in range(count)]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output


def test_two_workers_and_an_aborted_one_send_each_reminder_exactly_once(settings, mail):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = _env(mail)
    event_session = None
    for n in range(PEOPLE):
        registration = register(
            UserFactory(email=f"person{n}@example.org"),
            event := _event(),
            email_consent=True,
        )
        event_session = event_session or session_at(event, minutes_from_now=10, title="Spread")
        services.star_add(user=registration.user, session=event_session)
    EmailDelivery.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    reminders.reminders_schedule()
    # Every email is queued twice over, so the two workers race for each one.
    from convene.attendance.delivery import _enqueue

    _enqueue(list(EmailDelivery.objects.values_list("pk", flat=True)))
    assert EmailDelivery.objects.count() == PEOPLE

    # 1. A worker claims the first half, then the process aborts (no clean-up).
    aborted = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [
            sys.executable, "manage.py", "shell", "-c",
            "import os\n"
            "from convene.attendance.delivery import delivery_claim\n"
            "from convene.attendance.models import EmailDelivery\n"
            "rows = EmailDelivery.objects.order_by('pk').values_list('pk', flat=True)\n"
            f"for pk in rows[:{PEOPLE // 2}]:\n"
            "    assert delivery_claim(delivery_id=pk, worker='aborted')\n"
            "os._exit(9)\n",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert aborted.returncode == 9, aborted.stdout + aborted.stderr

    # 2. Two workers at once: they send the rest; the aborted worker's rows are leased.
    _workers_at_once(env)
    assert len(mail.messages) == PEOPLE - PEOPLE // 2

    # 3. Time passes beyond the lease; the scheduler re-enqueues; two workers again.
    EmailDelivery.objects.filter(state="claimed").update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    scheduler = _manage("send_due_reminders", env=env)
    output, _ = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, output
    _workers_at_once(env)

    received = sorted(m.to[0] for m in mail.messages)
    assert received == sorted(f"person{n}@example.org" for n in range(PEOPLE))
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {"sent"}


_EVENT = {}


def _event():
    from tests.factories import EventFactory

    if (
        "event" not in _EVENT
        or not type(_EVENT["event"]).objects.filter(pk=_EVENT["event"].pk).exists()
    ):
        today = timezone.localdate()
        _EVENT["event"] = EventFactory(start_date=today, end_date=today + timedelta(days=1))
    return _EVENT["event"]
