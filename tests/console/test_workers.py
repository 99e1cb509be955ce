"""Acceptance (issue 14): a message to 2,000 registrants is sent exactly once each with a
`db_worker` killed half-way and restarted: real worker processes (`manage.py db_worker`,
tests/workers.py) on the suite's database (SQLite file or PostgreSQL) and a real SMTP
server (tests/smtp.py), as tests/attendance/test_workers.py does for reminders.

Where the worker dies is chosen, not left to chance: in front of the SMTP server a
proxy lets the first 1,000 connections through (each email is one connection) and
holds the next one unanswered, so the worker is stuck opening it, with that email
claimed and not yet handed to the mail server, when it is killed (SIGKILL: no
clean-up). That is the crash the ledger promises to recover from without a second
copy (core/outbox.py: a crash after claiming is retried; one after handing the
message over is never re-sent, and may lose that one email, which is not what this
test is about).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from convene.attendance.models import Registration
from convene.console import services
from convene.core.models import OutgoingEmail
from tests.factories import EventFactory, UserFactory
from tests.workers import ROOT, manage, task_env, workers_at_once

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 2000
HALF = PEOPLE // 2
# However slow the machine, one worker gets through half the emails well within this.
PATIENCE = 900


class GatedSMTP:
    """A TCP proxy to the SMTP server: the first `open_for` connections go through; the
    next are accepted but get no greeting until `release()` (the client waits)."""

    def __init__(self, server, open_for: int) -> None:
        self.server = server
        self.open_for = open_for
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.host, self.port = self.listener.getsockname()
        self.connections = 0
        self.held: list[socket.socket] = []
        self.holding = threading.Event()
        self.released = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            with self._lock:
                self.connections += 1
                if self.connections > self.open_for and not self.released.is_set():
                    self.held.append(client)
                    self.holding.set()
                    continue
            self._forward(client)

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection((self.server.host, self.server.port))
        except OSError:
            client.close()
            return
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._copy, args=(source, target), daemon=True).start()

    @staticmethod
    def _copy(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        source.close()

    def release(self) -> None:
        with self._lock:
            self.released.set()
            held, self.held = self.held, []
        for client in held:  # the killed worker's: closed, so these end at once
            self._forward(client)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def gate(mail):
    proxy = GatedSMTP(mail, open_for=HALF)
    yield proxy
    proxy.close()


@pytest.fixture
def registrants(db):
    today = timezone.localdate()
    event = EventFactory(title="The Big Conversation", start_date=today, end_date=today)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            email=f"person{n:04}@example.org",
            name=f"Person {n:04}",
            state=Registration.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for n in range(PEOPLE)
    )
    return event


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def test_a_message_to_2000_registrants_survives_a_killed_worker_exactly_once(
    settings, registrants, mail, gate, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = task_env(gate)
    organiser = UserFactory(email="organiser@example.org")
    message = services.group_message_send(
        event=registrants,
        group_key="registrants",
        subject="Your place at {event}",
        body="Hello {name}, see you on the day.",
        optional=False,
        by=organiser,
    )
    rows = OutgoingEmail.objects.filter(purpose=message.purpose)
    assert (message.recipient_count, rows.count()) == (PEOPLE, PEOPLE)

    # 1. One worker, running as in production; killed while it waits for the mail
    #    server with the 1,001st email claimed.
    log = tmp_path / "killed-worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(gate.holding.is_set, "the worker to reach the 1,001st email")
            _wait_for(lambda: rows.filter(state="claimed").exists(), "the claimed email")
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, log.read_text()
    assert len(mail.messages) == HALF
    assert {
        state: rows.filter(state=state).count() for state in ("sent", "claimed", "pending")
    } == {"sent": HALF, "claimed": 1, "pending": PEOPLE - HALF - 1}
    gate.release()

    # 2. Restarted, two workers at once: they send the rest; the killed worker's
    #    claimed email waits for its lease (its task stays "running" in the queue).
    workers_at_once(env)
    assert len(mail.messages) == PEOPLE - 1

    # 3. The lease runs out; the scheduler's pass enqueues that email again; a worker
    #    sends it.
    rows.filter(state="claimed").update(lease_until=timezone.now() - timedelta(seconds=1))
    scheduler = manage("run_scheduler", env=env)
    output, _ = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, output
    workers_at_once(env)

    received = sorted(m.to[0] for m in mail.messages)
    assert received == sorted(f"person{n:04}@example.org" for n in range(PEOPLE))
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    assert len({m.message["Message-ID"] for m in mail.messages}) == PEOPLE
    by_address = {m.to[0]: m for m in mail.messages}
    assert by_address["person0042@example.org"].body.startswith(
        "Hello Person 0042, see you on the day."
    )
    assert by_address["person1999@example.org"].subject == "Your place at The Big Conversation"
