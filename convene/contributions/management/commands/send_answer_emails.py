"""Re-enqueue "your question was answered" emails that a lost task or a dead worker left.

    python manage.py send_answer_emails            # one pass (cron, once a minute)
    python manage.py send_answer_emails --loop     # a pass every --interval seconds

`db_worker` sends the emails; this only finds rows nobody is working on.
Running it on several machines at once is safe (contributions/notifications.py).
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from convene.contributions import notifications


class Command(BaseCommand):
    help = "Re-enqueue stale answer emails (once, or in a loop)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Repeat until stopped.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between passes (default 60)."
        )

    def handle(self, *, loop: bool, interval: float, verbosity: int, **options) -> None:
        self.running = True
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            close_old_connections()
            result = notifications.answer_emails_recover()
            if verbosity > 1 or any(result.values()):
                self.stdout.write(
                    f"re-enqueued: {result['requeued']}; uncertain: {result['uncertain']}"
                )
            if not loop or not self.running:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))

    def _stop(self, signum, frame) -> None:
        self.running = False
