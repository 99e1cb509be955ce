"""`manage.py import_schedule FILE --event SLUG`: a pretalx JSON or frab XML schedule into an event.

The work is `events.interchange.services.schedule_import`; this prints its
progress (to stderr) and summary, and exits with status 1 and the reasons
when the file cannot be imported (nothing is written then).
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from tqdm import tqdm

from convene.events.interchange.checks import MAX_BYTES, ScheduleFileError, too_large
from convene.events.interchange.services import schedule_import
from convene.events.models import Event


class _Stream:
    """tqdm redraws its bar with '\\r'; OutputWrapper would add a newline to each write."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = "Import a pretalx JSON or frab XML schedule into an event; run again to update it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the schedule.json or schedule.xml file")
        parser.add_argument("--event", required=True, help="slug of the event to import into")

    def handle(self, *args, file: Path, event: str, **options) -> None:
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f'There is no event with the slug "{event}".')
        try:
            with file.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_BYTES:  # refused before reading it all
                    raise CommandError(f"{file.name} was not imported:\n{too_large(size)}")
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None

        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="session", file=_Stream(self.stderr), delay=0)
            bar.update(done - bar.n)

        try:
            report = schedule_import(
                event=event_obj, data=data, filename=file.name, progress=progress
            )
        except ScheduleFileError as error:
            raise CommandError(f"{file.name} was not imported:\n" + str(error)) from None
        finally:
            if bar is not None:
                bar.close()

        self.stdout.write(
            f'Imported {report.filename} ({report.source_format}) into "{event_obj.title}".'
        )
        for line in report.summary_lines():
            self.stdout.write(line)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
