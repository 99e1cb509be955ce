#!/usr/bin/env bash
# Started by `make run`: migrate, load the demo, then serve the site (uvicorn),
# process background tasks (db_worker) and run the one scheduler (run_scheduler:
# every app's periodic jobs, such as reminders, and the email ledger's recovery)
# until Ctrl+C stops them all.
set -euo pipefail
BIN=${BIN:-.venv/bin}
# Links in emails, calendars and exports point where this server listens, unless set.
export SITE_URL="${SITE_URL:-http://${HOST}:${PORT}}"
"$BIN/python" manage.py migrate --no-input -v 0
"$BIN/python" manage.py load_demo --organiser-password "${DEMO_PASSWORD:-convene-demo}"
if [ "${DEBUG:-}" != "true" ]; then "$BIN/python" manage.py collectstatic --no-input -v 0; fi

"$BIN/python" manage.py db_worker &
worker=$!
# Once a minute: records due reminders and re-enqueues emails a lost task left; db_worker sends them.
"$BIN/python" manage.py run_scheduler --loop &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM

if [ -n "${DEMO_PASSWORD:-}" ]; then given="the DEMO_PASSWORD you set"; else given="convene-demo (DEMO_PASSWORD changes it)"; fi
echo "Convene is running on http://${HOST}:${PORT}. Sign in as organiser@example.org with password ${given}. Ctrl+C stops."
BIN="$BIN" scripts/serve.sh
