"""The periodic commands (send_due_reminders, send_answer_emails): one pass, or a loop
that finishes its pass and exits cleanly on SIGTERM."""

import signal
import subprocess
import sys
import time

import pytest

from tests.live import e2e

pytestmark = pytest.mark.settings_process


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("periodic")
    return e2e.environment(e2e.migrated_database(folder))


@pytest.mark.parametrize("command", ["send_due_reminders", "send_answer_emails"])
def test_one_pass_reports_with_verbosity(env, command):
    done = subprocess.run(  # noqa: S603 - our interpreter, our command
        [sys.executable, "manage.py", command, "-v", "2"],
        cwd=e2e.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "re-enqueued: 0; uncertain: 0" in done.stdout


@pytest.mark.parametrize("command", ["send_due_reminders", "send_answer_emails"])
def test_the_loop_passes_again_and_stops_on_sigterm(env, command):
    with subprocess.Popen(  # noqa: S603 - our interpreter, our command
        [sys.executable, "manage.py", command, "--loop", "--interval", "0.2", "-v", "2"],
        cwd=e2e.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            lines = [process.stdout.readline() for _ in range(3)]  # three passes
            process.send_signal(signal.SIGTERM)
            started = time.monotonic()
            _, errors = process.communicate(timeout=10)
            stopped_after = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.kill()

    assert all("re-enqueued: 0" in line for line in lines), lines
    assert process.returncode == 0, errors
    assert stopped_after < 5
