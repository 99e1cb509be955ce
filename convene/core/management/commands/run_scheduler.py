"""The one scheduler: every app's scheduled jobs, then the email ledger's housekeeping.

    python manage.py run_scheduler            # one pass (cron, once a minute)
    python manage.py run_scheduler --loop     # a pass every --interval seconds (run.sh)

Apps register jobs (attendance records due reminders) in
`core.outbox.SCHEDULED_JOBS` from their hooks.py; `db_worker` sends the emails. Running this on
several machines at once is safe: every email has a unique key (core/outbox.py).
"""

from convene.core import outbox
from convene.core.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Run the scheduled jobs and re-enqueue stale emails (once, or in a loop)."

    def run_once(self, verbosity: int) -> str | None:
        done = outbox.scheduler_pass()
        if verbosity > 1 or any(done.values()):
            jobs = [f"{name}: {n}" for name, n in done.items() if name not in RECOVERY]
            recovery = [f"re-enqueued: {done['requeued']}", f"uncertain: {done['uncertain']}"]
            return "; ".join(jobs + recovery)
        return None


RECOVERY = ("requeued", "uncertain")
