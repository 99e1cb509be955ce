"""The one scheduler (run_scheduler): one pass, or a loop that finishes its pass and
exits cleanly on SIGTERM."""

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


def test_one_pass_reports_with_verbosity(env):
    done = subprocess.run(
        [sys.executable, "manage.py", "run_scheduler", "-v", "2"],
        cwd=e2e.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == "reminders recorded: 0; re-enqueued: 0; uncertain: 0\n"


def test_the_loop_passes_again_and_stops_on_sigterm(env):
    with subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--loop", "--interval", "0.2", "-v", "2"],
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
