"""Save a full-page screenshot of the demo programme for the docs.

Starts nothing itself: point it at a running Convene with the demo loaded, e.g.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8765

Drives Debian's chromium ($CHROMIUM, default /usr/bin/chromium); downloads nothing.
"""

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "/events/big-conversation-2022/programme/"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="where Convene runs, e.g. http://127.0.0.1:8765")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "images" / "programme.png")
    parser.add_argument("--width", type=int, default=1200, help="window width in CSS pixels")
    args = parser.parse_args(argv)
    url = args.base_url.rstrip("/") + PROGRAMME

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium", args=LAUNCH_ARGS
        )
        # The event's own zone and language, so the picture does not depend on this machine.
        context = browser.new_context(
            viewport={"width": args.width, "height": 900},
            timezone_id="Europe/London",
            locale="en-GB",
        )
        page = context.new_page()
        response = page.goto(url)
        if response is None or not response.ok:
            status = response.status if response else "no response"
            sys.stderr.write(f"{url} answered {status}; is the demo loaded?\n")
            browser.close()
            return 1
        args.output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=args.output, full_page=True)
        browser.close()
    sys.stdout.write(f"saved {args.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
