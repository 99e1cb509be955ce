"""Importing a schedule into a new event (issue 14, point 1; docs/decisions/0025): the
event is made from the file's conference block, by `manage.py import_schedule FILE
--create` and on the organisers' "Import a schedule into a new event" page, with the
real pretalx exports in samples/."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from convene.core.models import AuditEntry
from convene.events.interchange.previews import LIFETIME
from convene.events.models import Event, EventRole, ImportPreview
from tests.events.interchange.conftest import SAMPLE_JSON, SAMPLE_XML, table_counts
from tests.factories import EventFactory, UserFactory
from tests.personas import client_for

pytestmark = pytest.mark.django_db
UPLOAD = reverse("events:import_new_event")
CONFIRM = {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}  # Talk, Workshop


def _run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_schedule", *args, stdout=out, stderr=err)
    return out.getvalue()


def _sample(tmp_path, source=SAMPLE_JSON, name: str = "") -> str:
    path = tmp_path / (name or source.name)
    path.write_bytes(source.read_bytes())
    return str(path)


def _without_conference(tmp_path) -> str:
    document = json.loads(SAMPLE_JSON.read_bytes())
    del document["schedule"]["conference"]
    path = tmp_path / "no-conference.json"
    path.write_text(json.dumps(document))
    return str(path)


# --- manage.py import_schedule FILE --create -------------------------------------------


@pytest.mark.parametrize("source", [SAMPLE_JSON, SAMPLE_XML], ids=["json", "xml"])
def test_create_makes_the_event_from_a_real_pretalx_export(tmp_path, source):
    out = _run(_sample(tmp_path, source), "--create")

    event = Event.objects.get()
    assert (event.slug, event.title, event.time_zone) == ("democon", "DemoCon", "Europe/Berlin")
    assert (event.start_date, event.end_date) == (date(2026, 11, 25), date(2026, 11, 27))
    assert (event.status, event.programme_published) == ("draft", False)
    assert event.sessions.count() == 36
    assert event.rooms.count() == 2
    assert event.roles.count() == 0  # made by the system, no --organiser
    assert out.splitlines()[:3] == [
        'Created the event "DemoCon" (/events/democon/, a draft, 25–27 November 2026, '
        "Europe/Berlin, with no organiser yet).",
        f"Imported {source.name} ({'pretalx JSON' if source is SAMPLE_JSON else 'frab XML'}) "
        'into "DemoCon".',
        "Sessions: 36 created, 0 updated, 0 unchanged",
    ]
    assert list(
        AuditEntry.objects.filter(event_id=event.pk).order_by("id").values_list("actor", "action")
    ) == [(None, "events.event_created"), (None, "events.schedule_imported")]


def test_a_second_run_updates_the_same_event(tmp_path):
    path = _sample(tmp_path)
    _run(path, "--create")
    event = Event.objects.get()
    event.title = "DemoCon 2026"  # the organisers renamed it meanwhile
    event.save()
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Light Sea Green Room"][0]
    talk["title"] = "Renamed in pretalx"
    (tmp_path / "changed.json").write_text(json.dumps(document))

    out = _run(str(tmp_path / "changed.json"), "--create")

    assert Event.objects.count() == 1
    event.refresh_from_db()
    assert event.title == "DemoCon 2026"
    assert event.sessions.count() == 36
    assert event.sessions.filter(title="Renamed in pretalx").count() == 1
    assert out.splitlines()[:3] == [
        'The event "DemoCon 2026" (/events/democon/) exists: its programme is updated; its '
        "title, dates and time zone are left as they are.",
        'Imported changed.json (pretalx JSON) into "DemoCon 2026".',
        "Sessions: 0 created, 1 updated, 35 unchanged",
    ]


def test_create_with_an_event_slug_and_an_organiser(tmp_path):
    organiser = UserFactory(email="orga@example.org")

    _run(
        _sample(tmp_path), "--create", "--event", "democon-2026", "--organiser", "ORGA@example.org"
    )

    event = Event.objects.get()
    assert event.slug == "democon-2026"
    assert list(event.roles.values_list("user", "role")) == [(organiser.pk, "organiser")]


def test_a_file_without_a_conference_block_is_refused_clearly_storing_nothing(tmp_path):
    before = table_counts()

    with pytest.raises(CommandError) as error:
        _run(_without_conference(tmp_path), "--create")

    assert str(error.value) == (
        "no-conference.json was not imported:\nThe file has no conference block "
        "(schedule.conference), so it does not say which event it is: a new event needs "
        "the conference's title and its first and last day (title, start and end)."
    )
    assert error.value.returncode == 1
    assert table_counts() == before


def test_an_xml_file_without_a_conference_block_names_what_is_missing(tmp_path):
    path = tmp_path / "bare.xml"
    path.write_text("<schedule><version>1</version></schedule>")

    with pytest.raises(CommandError) as error:
        _run(str(path), "--create")

    assert "The file has no <conference> block" in str(error.value)
    assert "(<title>, <start> and <end>)" in str(error.value)


def test_a_conference_block_without_title_or_days_names_each_missing_value(tmp_path):
    document = json.loads(SAMPLE_JSON.read_bytes())
    conference = document["schedule"]["conference"]
    del conference["title"], conference["end"]
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(document))
    before = table_counts()

    with pytest.raises(CommandError) as error:
        _run(str(path), "--create")

    assert str(error.value) == (
        "partial.json was not imported:\n"
        "schedule.conference.title: missing\n"
        "schedule.conference.end: missing"
    )
    assert table_counts() == before


def test_a_file_with_a_bad_session_creates_no_event_either(tmp_path):
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Light Sea Green Room"][0]
    talk["date"] = "2027-06-01T09:00:00+02:00"  # months after the conference
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    before = table_counts()

    with pytest.raises(CommandError) as error:
        _run(str(path), "--create")

    assert "is outside the event's dates" in str(error.value)
    assert table_counts() == before


def test_create_refuses_an_organiser_without_an_account(tmp_path):
    with pytest.raises(CommandError, match='no account with the email address "who@example'):
        _run(_sample(tmp_path), "--create", "--organiser", "who@example.org")
    assert Event.objects.count() == 0


def test_the_command_needs_an_event_or_create(tmp_path):
    with pytest.raises(CommandError, match="--event SLUG, or --create"):
        _run(_sample(tmp_path))


def test_a_dry_run_with_create_writes_nothing(tmp_path):
    before = table_counts()

    out = _run(_sample(tmp_path), "--create", "--dry-run")

    assert out.splitlines()[:2] == [
        'Dry run: the event "DemoCon" (/events/democon/, 25–27 November 2026, Europe/Berlin) '
        "would be created, and importing the file into it would give these; nothing was "
        "written.",
        "Sessions: 36 created, 0 updated, 0 unchanged",
    ]
    assert table_counts() == before


# --- The organisers' page: Import a schedule into a new event -------------------------


@pytest.fixture
def creator(db):
    return UserFactory(email="creator@example.org", name="Cleo Creator", can_create_events=True)


def _upload(client, content: bytes | None = None, name: str = "democon-schedule.json", **data):
    file = SimpleUploadedFile(name, SAMPLE_JSON.read_bytes() if content is None else content)
    return client.post(UPLOAD, {"file": file, **data})


def _preview_url(preview: ImportPreview) -> str:
    return reverse("events:import_new_event_preview", kwargs={"preview": preview.token})


def test_the_upload_shows_the_new_event_and_what_the_import_would_do_creating_nothing(creator):
    client = client_for(creator)
    before = table_counts()

    response = _upload(client)

    preview = ImportPreview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _preview_url(preview)
    assert (preview.event, preview.user, preview.new_slug) == (None, creator, "")
    page = client.get(_preview_url(preview))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Check the new event from democon-schedule.json</h1>" in html
    assert "/events/democon/" in html
    assert "25–27 November 2026" in html
    assert "Europe/Berlin" in html
    assert "36 to create, 0 to update, 0 unchanged" in html
    assert table_counts() == before


def test_confirming_creates_the_event_with_its_programme_and_the_creator_organising_it(creator):
    client = client_for(creator)
    _upload(client)
    preview = ImportPreview.objects.get()

    response = client.post(_preview_url(preview), CONFIRM)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:orga_settings", kwargs={"event": "democon"})
    assert (event.title, event.status, event.time_zone) == ("DemoCon", "draft", "Europe/Berlin")
    assert event.sessions.count() == 36
    assert list(event.roles.values_list("user", "role")) == [(creator.pk, "organiser")]
    assert ImportPreview.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(event_id=event.pk).order_by("id").values_list("actor", "action")
    ) == [(creator.pk, "events.event_created"), (creator.pk, "events.schedule_imported")]
    settings_page = client.get(response["Location"]).content.decode()
    assert "is created from democon-schedule.json, with 36 sessions" in settings_page


def test_cancelling_the_preview_creates_nothing(creator):
    client = client_for(creator)
    _upload(client)
    before = table_counts()

    response = client.post(_preview_url(ImportPreview.objects.get()), {"action": "cancel"})

    assert response.status_code == 302
    assert ImportPreview.objects.count() == 0
    assert table_counts() == before


def test_a_file_without_a_conference_block_is_refused_on_upload(creator):
    document = json.loads(SAMPLE_JSON.read_bytes())
    del document["schedule"]["conference"]
    before = table_counts()

    response = _upload(client_for(creator), json.dumps(document).encode())

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The file has no conference block (schedule.conference), so it does not say which "
        "event it is: a new event needs the conference's title and its first and last day "
        "(title, start and end)."
    ]
    assert ImportPreview.objects.count() == 0
    assert table_counts() == before


def test_a_slug_in_use_is_a_field_error_and_another_can_be_given(creator):
    EventFactory(slug="democon")
    client = client_for(creator)

    taken = _upload(client)
    chosen = _upload(client, slug="democon-2026")

    assert taken.status_code == 400
    assert taken.context["form"].errors["slug"] == [
        "There is already an event at /events/democon/: choose another web address"
    ]
    preview = ImportPreview.objects.get()
    assert chosen.status_code == 302
    assert preview.new_slug == "democon-2026"
    client.post(_preview_url(preview), CONFIRM)
    assert Event.objects.get(slug="democon-2026").sessions.count() == 36


def test_a_slug_taken_between_preview_and_confirmation_creates_nothing(creator):
    client = client_for(creator)
    _upload(client)
    preview = ImportPreview.objects.get()
    EventFactory(slug="democon")
    before = table_counts()

    response = client.post(_preview_url(preview), CONFIRM)

    assert response.status_code == 400
    assert "There is already an event at /events/democon/" in response.content.decode()
    assert table_counts() == before
    assert ImportPreview.objects.count() == 0


def test_an_expired_preview_asks_for_the_file_again(creator):
    client = client_for(creator)
    _upload(client)
    ImportPreview.objects.update(created_at=timezone.now() - LIFETIME - timedelta(seconds=1))

    response = client.post(
        _preview_url(ImportPreview.objects.get()),
        CONFIRM,
    )

    assert response.status_code == 400
    assert "This preview is out of date" in response.content.decode()
    assert Event.objects.count() == 0


def test_a_preview_is_only_its_uploaders(creator, superuser):
    _upload(client_for(creator))
    preview = ImportPreview.objects.get()

    response = client_for(superuser).post(_preview_url(preview), CONFIRM)

    assert "This preview is out of date" in response.content.decode()
    assert Event.objects.count() == 0
    assert ImportPreview.objects.count() == 1  # still the creator's


def test_an_event_preview_is_not_a_new_event_preview(creator, event):
    EventRole.objects.create(event=event, user=creator, role=EventRole.Role.ORGANISER)
    Event.objects.filter(pk=event.pk).update(
        start_date=date(2026, 11, 25), end_date=date(2026, 11, 27)
    )
    client = client_for(creator)
    client.post(
        reverse("events:orga_import", kwargs={"event": event.slug}),
        {"file": SimpleUploadedFile("s.json", SAMPLE_JSON.read_bytes())},
    )
    preview = ImportPreview.objects.get()

    response = client.get(_preview_url(preview))

    assert "This preview is out of date" in response.content.decode()


def test_people_not_allowed_to_create_events_cannot_upload(organiser):
    response = _upload(client_for(organiser))

    assert response.status_code == 403
    assert "You cannot create events yet" in response.content.decode()
    assert ImportPreview.objects.count() == 0


def test_a_reserved_acronym_is_a_field_error_on_upload(creator):
    document = json.loads(SAMPLE_JSON.read_bytes())
    document["schedule"]["conference"]["acronym"] = "new"

    response = _upload(client_for(creator), json.dumps(document).encode())

    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "“new” is a word the organiser area uses: choose another"
    ]
    assert Event.objects.count() == 0
