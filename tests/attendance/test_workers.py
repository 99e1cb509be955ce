"""Exactly once with real worker processes: `manage.py db_worker` twice at once,
after a worker that aborted mid-run, on the suite's database (SQLite file or
PostgreSQL, whichever the suite runs on)."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from convene.attendance import reminders, services
from convene.core.models import OutgoingEmail
from tests.attendance.conftest import register, session_at
from tests.factories import UserFactory
from tests.workers import ROOT, manage, task_env, workers_at_once

PEOPLE = 12

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_and_an_aborted_one_send_each_reminder_exactly_once(settings, mail):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = task_env(mail)
    event_session = None
    for n in range(PEOPLE):
        registration = register(
            UserFactory(email=f"person{n}@example.org"),
            event := _event(),
            email_consent=True,
        )
        event_session = event_session or session_at(event, minutes_from_now=10, title="Spread")
        services.star_add(user=registration.user, session=event_session)
    OutgoingEmail.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    reminders.reminders_schedule()
    # Every email is queued twice over, so the two workers race for each one.
    from convene.core.outbox import _enqueue

    _enqueue(list(OutgoingEmail.objects.values_list("pk", flat=True)))
    assert OutgoingEmail.objects.count() == PEOPLE

    # 1. A worker claims the first half, then the process aborts (no clean-up).
    aborted = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [
            sys.executable, "manage.py", "shell", "-c",
            "import os\n"
            "from convene.core.outbox import email_claim\n"
            "from convene.core.models import OutgoingEmail\n"
            "rows = OutgoingEmail.objects.order_by('pk').values_list('pk', flat=True)\n"
            f"for pk in rows[:{PEOPLE // 2}]:\n"
            "    assert email_claim(email_id=pk, worker='aborted')\n"
            "os._exit(9)\n",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert aborted.returncode == 9, aborted.stdout + aborted.stderr

    # 2. Two workers at once: they send the rest; the aborted worker's rows are leased.
    workers_at_once(env)
    assert len(mail.messages) == PEOPLE - PEOPLE // 2

    # 3. Time passes beyond the lease; the scheduler re-enqueues; two workers again.
    OutgoingEmail.objects.filter(state="claimed").update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    scheduler = manage("run_scheduler", env=env)
    output, _ = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, output
    workers_at_once(env)

    received = sorted(m.to[0] for m in mail.messages)
    assert received == sorted(f"person{n}@example.org" for n in range(PEOPLE))
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


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
