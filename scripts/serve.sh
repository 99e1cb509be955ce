#!/usr/bin/env bash
# Serve the site with uvicorn as production does; scripts/run.sh ends here, and the
# tests start the server through this file (tests/core/served.py).
#
# X-Forwarded-For is believed only from the proxies FORWARDED_ALLOW_IPS names
# (decision 0011). Unset, uvicorn ignores proxy headers altogether: its own default
# trusts 127.0.0.1, so a proxy on this machine that passed clients' headers on would
# let anyone pick the address rate limits count.
#
# The lifespan start-up warms the worker (convene/core/warm.py) before its first request.
set -euo pipefail
BIN=${BIN:-.venv/bin}
if [ -n "${FORWARDED_ALLOW_IPS:-}" ]; then
  proxy=(--proxy-headers --forwarded-allow-ips "$FORWARDED_ALLOW_IPS")
else
  proxy=(--no-proxy-headers)
fi
exec "$BIN/uvicorn" convene.asgi:application --host "$HOST" --port "$PORT" \
  --ws-per-message-deflate false --ws-max-size 65536 --no-server-header --lifespan on \
  "${proxy[@]}"
