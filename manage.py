#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings")
    from django.core.management import execute_from_command_line

    from convene.core.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as exc:
        sys.exit(f"Convene cannot start. {exc}")


if __name__ == "__main__":
    main()
