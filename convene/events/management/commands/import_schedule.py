"""`manage.py import_schedule FILE --event SLUG`: a pretalx JSON or frab XML schedule into an event.

The work is `events.interchange.services.schedule_import`; this prints its
progress (to stderr) and summary, and exits with status 1 and the reasons
when the file cannot be imported (nothing is written then). With `--dry-run`
it prints what the import would do (`interchange.plan.schedule_plan`, the
organisers' preview) and writes nothing.

With `--create` the event is made from the file's conference block (title,
acronym, days, time zone) the first time: `schedule_import_new_event`. Its slug
is `--event SLUG`, else the one made from the acronym (else the title); a later
run with `--create` finds the event at that slug and updates its programme
(docs/decisions/0025). `--organiser EMAIL` names the account that becomes the
new event's organiser; without it the event has none until a superuser adds one.
"""

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from tqdm import tqdm

from convene.accounts.models import User
from convene.events.interchange.checks import MAX_BYTES, ScheduleFileError, too_large
from convene.events.interchange.forms import day_span
from convene.events.interchange.plan import new_event_plan, schedule_plan
from convene.events.interchange.reader import read_conference
from convene.events.interchange.services import (
    ImportReport,
    conference_event_fields,
    schedule_import,
    schedule_import_new_event,
)
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
        parser.add_argument(
            "--event",
            default="",
            help="slug of the event to import into (with --create: of the event to create)",
        )
        parser.add_argument(
            "--create",
            action="store_true",
            help="create the event from the file's conference block the first time; "
            "run again, update it (found by its slug: --event, else the file's acronym)",
        )
        parser.add_argument(
            "--organiser",
            default="",
            metavar="EMAIL",
            help="with --create: the account that becomes the new event's organiser",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what the import would do, and write nothing",
        )

    def handle(
        self,
        *args,
        file: Path,
        event: str = "",
        create: bool = False,
        organiser: str = "",
        dry_run: bool = False,
        **options,
    ) -> None:
        if not event and not create:
            raise CommandError(
                "Say which event: --event SLUG, or --create to make it from the file."
            )
        if organiser and not create:
            raise CommandError("--organiser names the organiser of a new event: add --create.")
        organiser_obj = None
        if organiser:
            organiser_obj = User.objects.filter(email__iexact=organiser.strip()).first()
            if organiser_obj is None:
                raise CommandError(f'There is no account with the email address "{organiser}".')
        if create:
            data = self._read(file)
            self._create(file.name, data, slug=event, organiser=organiser_obj, dry_run=dry_run)
            return
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f'There is no event with the slug "{event}".')
        data = self._read(file)
        if dry_run:
            self._dry_run(event_obj, file.name, data)
            return
        self._import(event_obj, file.name, data)

    def _read(self, file: Path) -> bytes:
        try:
            with file.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_BYTES:  # refused before reading it all
                    raise CommandError(f"{file.name} was not imported:\n{too_large(size)}")
                return handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None

    def _progress(self):
        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="session", file=_Stream(self.stderr), delay=0)
            bar.update(done - bar.n)

        def close() -> None:
            if bar is not None:
                bar.close()

        return progress, close

    def _import(self, event: Event, filename: str, data: bytes) -> None:
        progress, close = self._progress()
        try:
            report = schedule_import(
                event=event, data=data, filename=filename, progress=progress, by=None
            )
        except ScheduleFileError as error:
            raise CommandError(f"{filename} was not imported:\n" + str(error)) from None
        finally:
            close()
        self.stdout.write(
            f'Imported {report.filename} ({report.source_format}) into "{event.title}".'
        )
        self._summary(report)

    def _create(
        self, filename: str, data: bytes, *, slug: str, organiser: User | None, dry_run: bool
    ) -> None:
        try:
            fields = conference_event_fields(read_conference(data), slug=slug)
        except ScheduleFileError as error:
            raise CommandError(f"{filename} was not imported:\n" + str(error)) from None
        existing = Event.objects.filter(slug=fields["slug"]).first()
        if dry_run:
            if existing is not None:
                self._dry_run(existing, filename, data)
            else:
                self._dry_run_new(filename, data, slug=slug)
            return
        progress, close = self._progress()
        try:
            result = schedule_import_new_event(
                data=data,
                filename=filename,
                by=None,
                organiser=organiser,
                slug=slug,
                update_existing=True,
                progress=progress,
            )
        except ScheduleFileError as error:
            raise CommandError(f"{filename} was not imported:\n" + str(error)) from None
        except ValidationError as error:
            raise CommandError(f"{filename} was not imported:\n" + _messages(error)) from None
        finally:
            close()
        event, report = result.event, result.report
        if result.created:
            who = f", organised by {organiser.email}" if organiser else ", with no organiser yet"
            self.stdout.write(
                f'Created the event "{event.title}" (/events/{event.slug}/, a draft, '
                f"{day_span(event.start_date, event.end_date)}, {event.time_zone}{who})."
            )
        else:
            self.stdout.write(
                f'The event "{event.title}" (/events/{event.slug}/) exists: its programme '
                "is updated; its title, dates and time zone are left as they are."
            )
        self.stdout.write(
            f'Imported {report.filename} ({report.source_format}) into "{event.title}".'
        )
        self._summary(report)

    def _summary(self, report: ImportReport) -> None:
        for line in report.summary_lines():
            self.stdout.write(line)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))

    def _dry_run_new(self, filename: str, data: bytes, *, slug: str) -> None:
        try:
            new = new_event_plan(data=data, filename=filename, slug=slug)
        except ScheduleFileError as error:
            raise CommandError(f"{filename} would not be imported:\n" + str(error)) from None
        except ValidationError as error:
            raise CommandError(f"{filename} would not be imported:\n" + _messages(error)) from None
        fields = new.fields
        self.stdout.write(
            f'Dry run: the event "{fields["title"]}" (/events/{fields["slug"]}/, '
            f"{day_span(fields['start_date'], fields['end_date'])}, {fields['time_zone']}) "
            "would be created, and importing the file into it would give these; nothing "
            "was written."
        )
        self._summary(new.plan.report)

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


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "\n".join(f"{name}: {' '.join(e.messages)}" for name, e in error.error_dict.items())
    return " ".join(error.messages)
