"""`manage.py import_schedule FILE --event SLUG`: a pretalx JSON or frab XML schedule into an event.

The work is `events.interchange.services.schedule_import`; this prints its
progress (to stderr) and summary, and exits with status 1 and the reasons
when the file cannot be imported (nothing is written then). With `--dry-run`
it prints what the import would do (`interchange.plan.schedule_plan`, the
organisers' preview) and writes nothing.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from tqdm import tqdm

from convene.events.interchange.checks import MAX_BYTES, ScheduleFileError, too_large
from convene.events.interchange.forms import day_span
from convene.events.interchange.plan import schedule_plan
from convene.events.interchange.services import schedule_import
from convene.events.models import Event, Session


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
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what the import would do, and write nothing",
        )

    def handle(self, *args, file: Path, event: str, dry_run: bool = False, **options) -> None:
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

        if dry_run:
            self._dry_run(event_obj, file.name, data)
            return

        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="session", file=_Stream(self.stderr), delay=0)
            bar.update(done - bar.n)

        try:
            report = schedule_import(
                event=event_obj, data=data, filename=file.name, progress=progress, by=None
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

    def _dry_run(self, event: Event, filename: str, data: bytes) -> None:
        try:
            plan = schedule_plan(event=event, data=data, filename=filename)
        except ScheduleFileError as error:
            raise CommandError(f"{filename} would not be imported:\n" + str(error)) from None
        if plan.dates_to_fit is not None:
            dates = plan.dates_to_fit
            raise CommandError(
                f"{filename} would not be imported: {len(plan.outside)} "
                f"session{' is' if len(plan.outside) == 1 else 's are'} outside "
                f"the event's dates ({day_span(event.start_date, event.end_date)}). Change the "
                f"event's dates to {day_span(dates.start_date, dates.end_date)} first."
            )
        report = plan.report
        self.stdout.write(
            f'Dry run: importing {report.filename} ({report.source_format}) into "{event.title}" '
            "would give these; nothing was written."
        )
        for line in report.summary_lines():
            self.stdout.write(line)
        if plan.kind_map:
            labels = dict(Session.Kind.choices)
            kinds = ", ".join(f"{name} → {labels[kind]}" for name, kind in plan.kind_map.items())
            self.stdout.write(f"Kinds: {kinds}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
