"""`manage.py import_schedule FILE --event SLUG`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.events.interchange.conftest import SAMPLE_JSON, SAMPLE_XML, table_counts
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def democon(db):
    # The sample's middle day: its other days are the days either side, imported with a warning.
    day = date(2026, 11, 26)
    return EventFactory(
        slug="democon", title="DemoCon", time_zone="Europe/Berlin", start_date=day, end_date=day
    )


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_schedule", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_schedule_command_prints_a_summary_and_a_progress_bar(democon, tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_bytes(SAMPLE_XML.read_bytes())

    out, err = _run(str(path), "--event", "democon")

    assert out.splitlines() == [
        'Imported schedule.xml (frab XML) into "DemoCon".',
        "Sessions: 36 created, 0 updated, 0 unchanged",
        "Rooms: 2 created, 0 unchanged",
        "Tracks: 2 created, 0 unchanged",
        "Hosts: 45 created, 0 updated, 0 unchanged, 0 removed",
        "Warning: 24 sessions fall outside the event's dates "
        "(26 November 2026 to 26 November 2026); "
        "they are imported all the same.",
    ]
    assert "36/36" in err
    assert democon.sessions.count() == 36


def test_import_schedule_command_run_again_reports_unchanged(democon, tmp_path):
    path = tmp_path / "schedule.json"
    path.write_bytes(SAMPLE_JSON.read_bytes())
    _run(str(path), "--event", "democon")

    out, _ = _run(str(path), "--event", "democon")

    assert out.splitlines()[1:5] == [
        "Sessions: 0 created, 0 updated, 36 unchanged",
        "Rooms: 0 created, 2 unchanged",
        "Tracks: 0 created, 2 unchanged",
        "Hosts: 0 created, 0 updated, 45 unchanged, 0 removed",
    ]


def test_import_schedule_command_exits_non_zero_on_a_bad_file(democon, tmp_path):
    path = tmp_path / "cut.json"
    path.write_bytes(SAMPLE_JSON.read_bytes()[:1000])
    before = table_counts()

    with pytest.raises(CommandError) as error:
        _run(str(path), "--event", "democon")

    assert error.value.returncode == 1
    assert str(error.value) == (
        "cut.json was not imported:\n"
        "The file ends too early (line 1, column 995: Unterminated string starting at), so it "
        "looks cut off. Export the schedule again and upload the whole file."
    )
    assert table_counts() == before


def test_import_schedule_command_refuses_an_unknown_event(tmp_path, db):
    path = tmp_path / "schedule.json"
    path.write_bytes(SAMPLE_JSON.read_bytes())

    with pytest.raises(CommandError) as error:
        _run(str(path), "--event", "nowhere")

    assert str(error.value) == 'There is no event with the slug "nowhere".'


def test_import_schedule_command_refuses_a_missing_file(democon, tmp_path):
    with pytest.raises(CommandError) as error:
        _run(str(tmp_path / "absent.json"), "--event", "democon")

    assert str(error.value) == f"Cannot read {tmp_path / 'absent.json'}: No such file or directory."


def test_import_schedule_command_refuses_a_too_large_file_before_reading_it(democon, tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b"{" + b" " * (50 * 1024 * 1024))

    with pytest.raises(CommandError) as error:
        _run(str(path), "--event", "democon")

    assert str(error.value) == (
        "huge.json was not imported:\n"
        "The file is 50.0 MB; schedule files of up to 5 MB can be imported."
    )


def test_import_schedule_command_with_a_schedule_without_sessions_imports_nothing(
    democon, tmp_path
):
    path = tmp_path / "empty-programme.json"
    path.write_text('{"schedule": {"conference": {"days": []}}}')

    out, err = _run(str(path), "--event", "democon")

    assert out.splitlines()[1:] == [
        "Sessions: 0 created, 0 updated, 0 unchanged",
        "Rooms: 0 created, 0 unchanged",
        "Tracks: 0 created, 0 unchanged",
        "Hosts: 0 created, 0 updated, 0 unchanged, 0 removed",
    ]
    assert err == ""


def test_import_schedule_command_dry_run_prints_the_plan_and_writes_nothing(democon, tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_bytes(SAMPLE_XML.read_bytes())
    before = table_counts()
    version = democon.programme_version

    out, err = _run(str(path), "--event", "democon", "--dry-run")

    assert out.splitlines() == [
        'Dry run: importing schedule.xml (frab XML) into "DemoCon" would give these; '
        "nothing was written.",
        "Sessions: 36 created, 0 updated, 0 unchanged",
        "Rooms: 2 created, 0 unchanged",
        "Tracks: 2 created, 0 unchanged",
        "Hosts: 45 created, 0 updated, 0 unchanged, 0 removed",
        "Kinds: Talk → Plenary, Workshop → Workshop",
        "Warning: 24 sessions fall outside the event's dates "
        "(26 November 2026 to 26 November 2026); "
        "they are imported all the same.",
    ]
    assert err == ""
    assert table_counts() == before
    democon.refresh_from_db()
    assert democon.programme_version == version


def test_import_schedule_command_dry_run_after_an_import_counts_unchanged(democon, tmp_path):
    path = tmp_path / "schedule.json"
    path.write_bytes(SAMPLE_JSON.read_bytes())
    _run(str(path), "--event", "democon")
    before = list(democon.sessions.values_list("pk", "title", "kind", "start", "sequence"))

    out, _ = _run(str(path), "--event", "democon", "--dry-run")

    assert out.splitlines()[1:5] == [
        "Sessions: 0 created, 0 updated, 36 unchanged",
        "Rooms: 0 created, 2 unchanged",
        "Tracks: 0 created, 2 unchanged",
        "Hosts: 0 created, 0 updated, 45 unchanged, 0 removed",
    ]
    assert list(democon.sessions.values_list("pk", "title", "kind", "start", "sequence")) == before


def test_import_schedule_command_dry_run_says_which_dates_would_fit(db, tmp_path):
    EventFactory(slug="early", start_date=date(2026, 11, 20), end_date=date(2026, 11, 22))
    path = tmp_path / "schedule.json"
    path.write_bytes(SAMPLE_JSON.read_bytes())
    before = table_counts()

    with pytest.raises(CommandError) as error:
        _run(str(path), "--event", "early", "--dry-run")

    assert str(error.value) == (
        "schedule.json would not be imported: 36 sessions are outside the event's dates "
        "(20–22 November 2026). Change the event's dates to 20–27 November 2026 first."
    )
    assert table_counts() == before


def test_import_schedule_command_dry_run_reports_a_bad_file(democon, tmp_path):
    path = tmp_path / "cut.json"
    path.write_bytes(SAMPLE_JSON.read_bytes()[:1000])

    with pytest.raises(CommandError) as error:
        _run(str(path), "--event", "democon", "--dry-run")

    assert str(error.value).startswith(
        "cut.json would not be imported:\nThe file ends too early (line 1, column 995:"
    )
