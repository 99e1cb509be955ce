"""Re-enqueue "your question was answered" emails that a lost task or a dead worker left.

    python manage.py send_answer_emails            # one pass (cron, once a minute)
    python manage.py send_answer_emails --loop     # a pass every --interval seconds

`db_worker` sends the emails; this only finds rows nobody is working on.
Running it on several machines at once is safe (contributions/notifications.py).
"""

from convene.contributions import notifications
from convene.core.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Re-enqueue stale answer emails (once, or in a loop)."

    def run_once(self, verbosity: int) -> str | None:
        result = notifications.answer_emails_recover()
        if verbosity > 1 or any(result.values()):
            return f"re-enqueued: {result['requeued']}; uncertain: {result['uncertain']}"
        return None
