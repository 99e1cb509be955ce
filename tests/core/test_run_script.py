"""`make run` (scripts/run.sh) points links at the address it serves, unless SITE_URL is set,
and starts one web server, one task worker and one scheduler (no other loop).

The script runs with BIN naming a folder whose `python` prints SITE_URL and
stops the script at its first step (migrate): nothing is served or migrated.
"""

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.settings_process

ROOT = Path(__file__).resolve().parents[2]
STOP_AT_MIGRATE = '#!/bin/sh\necho "SITE_URL=$SITE_URL"\nexit 3\n'


def _site_url_run_sh_gives(bin_dir: Path, **env: str) -> str:
    python = bin_dir / "python"
    python.write_text(STOP_AT_MIGRATE)
    python.chmod(0o755)
    result = subprocess.run(
        ["bash", "scripts/run.sh"],  # noqa: S607 - bash from PATH, like make
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "BIN": str(bin_dir), "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    return result.stdout.strip()


def test_make_run_derives_site_url_from_host_and_port(tmp_path):
    assert _site_url_run_sh_gives(tmp_path, HOST="127.0.0.1", PORT="8811") == (
        "SITE_URL=http://127.0.0.1:8811"
    )


def test_make_run_keeps_a_site_url_that_is_set(tmp_path):
    site_url = _site_url_run_sh_gives(
        tmp_path, HOST="127.0.0.1", PORT="8811", SITE_URL="https://convene.example.org"
    )

    assert site_url == "SITE_URL=https://convene.example.org"


def _run_sh_prints(bin_dir: Path, **env: str) -> str:
    """What run.sh prints when every step it starts succeeds at once."""
    for name in ("python", "uvicorn"):
        if not (bin_dir / name).exists():
            (bin_dir / name).write_text("#!/bin/sh\nexit 0\n")
            (bin_dir / name).chmod(0o755)
    result = subprocess.run(
        ["bash", "scripts/run.sh"],  # noqa: S607 - bash from PATH, like make
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "BIN": str(bin_dir),
            "DEBUG": "true",
            "HOST": "127.0.0.1",
            "PORT": "8811",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_names_the_default_demo_password_when_none_was_given(tmp_path):
    printed = _run_sh_prints(tmp_path)

    assert (
        "Sign in as organiser@example.org with password convene-demo (DEMO_PASSWORD changes it)"
        in printed
    )
    assert "you gave" not in printed


def test_make_run_does_not_print_a_demo_password_that_was_set(tmp_path):
    printed = _run_sh_prints(tmp_path, DEMO_PASSWORD="a-secret-of-mine")

    assert "with password the DEMO_PASSWORD you set" in printed
    assert "a-secret-of-mine" not in printed


def test_make_run_starts_one_web_server_one_task_worker_and_one_scheduler(tmp_path):
    started = tmp_path / "started"
    for name, wait in (("python", ""), ("uvicorn", "sleep 1\n")):  # background ones log first
        (tmp_path / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "{started}"\n{wait}')
        (tmp_path / name).chmod(0o755)

    _run_sh_prints(tmp_path)

    commands = sorted(line.split(" -")[0] for line in started.read_text().splitlines())
    assert commands == [
        "python manage.py db_worker",
        "python manage.py load_demo",
        "python manage.py migrate",
        "python manage.py run_scheduler",
        "uvicorn convene.asgi:application",
    ]
    assert "python manage.py run_scheduler --loop\n" in started.read_text()
