"""Record the reminders that are due and re-enqueue emails a dead worker left.

    python manage.py send_due_reminders            # one pass (cron, once a minute)
    python manage.py send_due_reminders --loop     # pass every --interval seconds (run.sh)

The emails themselves are sent by `db_worker`. Running this on several
machines at once is safe: every email has a unique key (attendance/delivery.py).
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from convene.attendance import delivery, reminders


class Command(BaseCommand):
    help = "Record due reminders and re-enqueue stale emails (once, or in a loop)."

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
            new = reminders.reminders_schedule()
            recovered = delivery.deliveries_recover()
            if verbosity > 1 or new or any(recovered.values()):
                self.stdout.write(
                    f"reminders recorded: {new}; re-enqueued: {recovered['requeued']}; "
                    f"uncertain: {recovered['uncertain']}"
                )
            if not loop or not self.running:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))
            if not self.running:
                return

    def _stop(self, signum, frame) -> None:
        self.running = False
