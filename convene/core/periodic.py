"""A management command that makes one pass, or passes every --interval seconds.

    class Command(PeriodicCommand):
        def run_once(self, verbosity: int) -> str | None: ...   # a line to print, or None

`--loop` repeats until SIGTERM or Ctrl+C, finishing the pass under way (scripts/run.sh
starts the loops; cron can run single passes instead).
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections


class PeriodicCommand(BaseCommand):
    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Repeat until stopped.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between passes (default 60)."
        )

    def run_once(self, verbosity: int) -> str | None:
        raise NotImplementedError

    def handle(self, *, loop: bool, interval: float, verbosity: int, **options) -> None:
        self.running = True
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            close_old_connections()
            line = self.run_once(verbosity)
            if line:
                self.stdout.write(line)
            if not loop or not self.running:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))

    def _stop(self, signum, frame) -> None:
        self.running = False
