"""The organisers' Exports and Import pages: who may use them, and what they show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from convene.events.interchange.checks import MAX_BYTES
from convene.events.models import Event, ImportPreview
from tests.events.interchange.conftest import SAMPLE_DATES, SAMPLE_JSON, SAMPLE_XML, table_counts
from tests.personas import LOGIN, PERSONAS, client_for, matrix, outcome, sign_in_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(event):
    """The usual event, moved to the sample's days: imported sessions must be near them."""
    Event.objects.filter(pk=event.pk).update(**SAMPLE_DATES)
    event.refresh_from_db()
    return event


def _import_url(event) -> str:
    return reverse("events:orga_import", kwargs={"event": event.slug})


def _exports_url(event) -> str:
    return reverse("events:orga_exports", kwargs={"event": event.slug})


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("url", [_import_url, _exports_url])
def test_organiser_pages_are_for_organisers_and_superusers_only(as_persona, event, url):
    path = url(event)

    answers = {persona: outcome(as_persona(persona).get(path)) for persona in PERSONAS}

    assert answers == dict(matrix({"organiser": 200, "superuser": 200, "anonymous": LOGIN}))
    assert Client().get(path)["Location"] == sign_in_url(path)


@pytest.mark.parametrize("name", ["events:orga_import", "events:orga_exports"])
def test_organiser_pages_of_an_unknown_event_are_404(organiser, name):
    response = client_for(organiser).get(reverse(name, kwargs={"event": "nowhere"}))

    assert response.status_code == 404


def test_import_page_refuses_uploads_from_everyone_but_organisers(
    client, event, host, attendee, outsider
):
    before = table_counts()

    responses = [
        c.post(_import_url(event), {"file": _upload("s.json", SAMPLE_JSON.read_bytes())})
        for c in (client, client_for(host), client_for(attendee), client_for(outsider))
    ]

    assert [outcome(r) for r in responses] == [LOGIN, 403, 403, 403]
    assert table_counts() == before


def test_exports_page_links_every_export(event, organiser):
    response = client_for(organiser).get(_exports_url(event))

    body = response.content.decode()
    for href in (
        "/events/big-conversation/schedule.json",
        "/events/big-conversation/schedule.xml",
        "/events/big-conversation/calendar.ics",
        "/orga/big-conversation/schedule.csv",
    ):
        assert f'href="{href}"' in body
    assert "<title>Exports – Organise The Big Conversation" in body


def test_import_page_shows_a_native_file_input_in_nhs_markup(event, organiser):
    response = client_for(organiser).get(_import_url(event))

    body = response.content.decode()
    assert 'class="nhsuk-form-group nhsuk-file-upload">' in body
    assert 'data-module="nhsuk-file-upload"' not in body
    assert 'enctype="multipart/form-data"' in body
    assert 'class="nhsuk-file-upload__input"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def _import(client, event, name: str, content: bytes):
    """Upload, then confirm the preview with the kinds it proposes."""
    response = client.post(_import_url(event), {"file": _upload(name, content)})
    assert response.status_code == 302
    assert ImportPreview.objects.count() == 1
    return client.post(
        response["Location"], {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}
    )


def test_import_page_imports_the_file_and_shows_the_report(event, organiser):
    response = _import(
        client_for(organiser), event, "democon-schedule.json", SAMPLE_JSON.read_bytes()
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "democon-schedule.json (pretalx JSON) was imported into the programme." in body
    assert "36 created, 0 updated, 0 unchanged" in body
    assert body.count("2 created, 0 unchanged") == 2  # rooms and tracks
    assert "45 created, 0 updated, 0 unchanged, 0 removed" in body
    assert "The file&#x27;s times are in Europe/Berlin" in body
    assert event.sessions.count() == 36


def test_import_page_imports_xml_again_as_updates(event, organiser):
    organiser_client = client_for(organiser)
    _import(organiser_client, event, "a.xml", SAMPLE_XML.read_bytes())

    response = _import(organiser_client, event, "a.xml", SAMPLE_XML.read_bytes())

    assert "0 created, 0 updated, 36 unchanged" in response.content.decode()
    assert event.sessions.count() == 36


def _error_page(response) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="nhsuk-error-summary"') == 1
    assert "<title>Error: Import a schedule" in body
    assert "nhsuk-form-group--error nhsuk-file-upload" in body
    return body


def test_import_page_re_renders_a_bad_file_with_an_error_summary(event, organiser):
    before = table_counts()

    response = client_for(organiser).post(
        _import_url(event), {"file": _upload("cut.xml", SAMPLE_XML.read_bytes()[:2000])}
    )

    body = _error_page(response)
    assert (
        '<a href="#id_file">\n                  The file ends too early (line 45, column 21: '
        "unclosed token), so it looks cut off." in body
    )
    assert table_counts() == before


def test_import_page_without_a_file_asks_for_one(event, organiser):
    body = _error_page(client_for(organiser).post(_import_url(event), {}))

    assert "Select a schedule file to import" in body


def test_import_page_with_an_empty_file_says_so(event, organiser):
    body = _error_page(
        client_for(organiser).post(_import_url(event), {"file": _upload("e.json", b"")})
    )

    assert "The file is empty." in body


def test_import_page_refuses_a_too_large_file_before_reading_it(event, organiser):
    big = _upload("big.json", b"{" + b" " * MAX_BYTES)

    body = _error_page(client_for(organiser).post(_import_url(event), {"file": big}))

    assert "The file is 5.0 MB; schedule files of up to 5 MB can be imported." in body
    assert event.sessions.count() == 0


def test_import_page_needs_the_csrf_token(event, organiser):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(organiser)

    response = csrf_client.post(
        _import_url(event), {"file": _upload("s.json", SAMPLE_JSON.read_bytes())}
    )

    assert response.status_code == 403
    assert event.sessions.count() == 0
