"""Real servers for the end-to-end tests: uvicorn as scripts/run.sh starts it, on a
throwaway SQLite file (migrated once per test run, copied per server group)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(database: Path, **extra: str) -> dict[str, str]:
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return (
        env
        | {
            "DJANGO_SETTINGS_MODULE": "convene.settings",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{database}",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        | extra
    )


def migrated_database(folder: Path) -> Path:
    database = folder / "template.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment(database),
        check=True,
    )
    return database


def seeded_copy(template: Path, folder: Path, *, messages: int = 0) -> tuple[Path, Path]:
    database = folder / "server.sqlite3"
    shutil.copy(template, database)
    seed = folder / "seed.json"
    subprocess.run(  # noqa: S603 - our interpreter, our module, a path we made
        [sys.executable, "-m", "tests.live.e2e_seed", str(seed), str(messages)],
        cwd=ROOT,
        env=environment(database),
        check=True,
    )
    return database, seed


class Server:
    """One uvicorn process serving convene.asgi (stopped by `stop`).

    `script`: start it through scripts/serve.sh, exactly as `make run` does (its
    access log included); otherwise with the same options, logging warnings only."""

    def __init__(self, env: dict[str, str], log: Path, *, script: bool = False) -> None:
        self.port = free_port()
        self.log = log
        if script:
            command = [str(ROOT / "scripts" / "serve.sh")]
            bin_folder = str(Path(sys.executable).parent)
            env = env | {"HOST": HOST, "PORT": str(self.port), "BIN": bin_folder}
        else:
            command = [
                str(Path(sys.executable).with_name("uvicorn")), "convene.asgi:application",
                "--host", HOST, "--port", str(self.port), "--ws-per-message-deflate", "false",
                "--ws-max-size", "65536", "--lifespan", "off", "--log-level", "warning",
            ]  # fmt: skip
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn stopped:\n{log.read_text()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"uvicorn did not start:\n{log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
