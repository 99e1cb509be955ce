"""Record the reminders that are due and re-enqueue emails a dead worker left.

    python manage.py send_due_reminders            # one pass (cron, once a minute)
    python manage.py send_due_reminders --loop     # pass every --interval seconds (run.sh)

The emails themselves are sent by `db_worker`. Running this on several
machines at once is safe: every email has a unique key (attendance/delivery.py).
"""

from convene.attendance import delivery, reminders
from convene.core.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Record due reminders and re-enqueue stale emails (once, or in a loop)."

    def run_once(self, verbosity: int) -> str | None:
        new = reminders.reminders_schedule()
        recovered = delivery.deliveries_recover()
        if verbosity > 1 or new or any(recovered.values()):
            return (
                f"reminders recorded: {new}; re-enqueued: {recovered['requeued']}; "
                f"uncertain: {recovered['uncertain']}"
            )
        return None
