"""The import page's preview: an upload shows what the import would do; only a confirmation
imports it (issue 11, point 10)."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from convene.events.interchange.previews import LIFETIME
from convene.events.models import Event, EventRole, ImportPreview, Session
from tests.events.interchange.conftest import SAMPLE_DATES, SAMPLE_JSON, SAMPLE_XML, table_counts
from tests.factories import EventFactory, EventRoleFactory, SessionFactory, UserFactory
from tests.personas import LOGIN, client_for, outcome, sign_in_url

pytestmark = pytest.mark.django_db

SAMPLE_KINDS = {Session.Kind.PLENARY: 27, Session.Kind.WORKSHOP: 9}  # Talk, Workshop


@pytest.fixture
def event(event):
    """The usual event, moved to the sample's days: imported sessions must be near them."""
    Event.objects.filter(pk=event.pk).update(**SAMPLE_DATES)
    event.refresh_from_db()
    return event


def _import_url(event) -> str:
    return reverse("events:orga_import", kwargs={"event": event.slug})


def _preview_url(event, preview: ImportPreview) -> str:
    return reverse(
        "events:orga_import_preview", kwargs={"event": event.slug, "preview": preview.token}
    )


def _upload(client, event, content: bytes = b"", name: str = "democon-schedule.json"):
    file = SimpleUploadedFile(name, content or SAMPLE_JSON.read_bytes())
    return client.post(_import_url(event), {"file": file})


def _uploaded(client, event, **kwargs) -> ImportPreview:
    response = _upload(client, event, **kwargs)
    preview = ImportPreview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _preview_url(event, preview)
    return preview


def _kinds(event) -> dict[str, int]:
    return dict(Counter(event.sessions.values_list("kind", flat=True)))


def _sample_titles() -> list[str]:
    import json

    days = json.loads(SAMPLE_JSON.read_bytes())["schedule"]["conference"]["days"]
    return [t["title"] for day in days for talks in day["rooms"].values() for t in talks]


def test_upload_shows_what_the_import_would_do_and_imports_nothing(event, organiser):
    client = client_for(organiser)
    before = table_counts()

    preview = _uploaded(client, event)
    response = client.get(_preview_url(event, preview))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Check the import – Organise The Big Conversation" in body
    assert "Nothing has been imported yet." in body
    assert "36 to create, 0 to update, 0 unchanged" in body
    assert "2 to create (Light Sea Green Room, Dim Gray Room), 0 unchanged" in body
    assert "2 to create (Reverse-engineered, Cross-group), 0 unchanged" in body
    assert "45 to create, 0 to update, 0 unchanged, 0 to remove" in body
    assert "Sessions to create (36)" in body
    assert "Sessions to update" not in body
    listed = body.split("Sessions to create (36)")[1].split("</ul>")[0]
    assert [item.split("</li>")[0] for item in listed.split("<li>")[1:]] == [
        title.replace("'", "&#x27;") for title in _sample_titles()
    ]
    assert "The file&#x27;s times are in Europe/Berlin" in body
    assert table_counts() == before
    assert Event.objects.get(pk=event.pk).programme_version == event.programme_version


def test_preview_offers_a_kind_for_each_session_type_of_the_file(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)

    body = client.get(_preview_url(event, preview)).content.decode()

    assert '<label class="nhsuk-label" for="id_kind_0">\n        Talk' in body
    assert '<label class="nhsuk-label" for="id_kind_1">\n        Workshop' in body
    assert '<option value="plenary" selected>Plenary</option>' in body
    assert '<option value="workshop" selected>Workshop</option>' in body
    assert 'name="extend_dates"' not in body


def test_confirming_imports_the_file_and_shows_the_result(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)

    response = client.post(
        _preview_url(event, preview),
        {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "democon-schedule.json (pretalx JSON) was imported into the programme." in body
    assert "36 created, 0 updated, 0 unchanged" in body
    assert event.sessions.count() == 36
    assert _kinds(event) == SAMPLE_KINDS
    assert ImportPreview.objects.count() == 0


def test_a_kind_changed_on_the_preview_is_the_kind_imported(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event, content=SAMPLE_XML.read_bytes(), name="schedule.xml")

    client.post(
        _preview_url(event, preview),
        {"action": "confirm", "kind_0": "open_conversation", "kind_1": "workshop"},
    )

    assert _kinds(event) == {Session.Kind.OPEN_CONVERSATION: 27, Session.Kind.WORKSHOP: 9}


def test_preview_again_counts_the_sessions_a_changed_kind_would_update(event, organiser):
    client = client_for(organiser)
    first = _uploaded(client, event)
    client.post(
        _preview_url(event, first), {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}
    )
    preview = _uploaded(client, event)
    before = table_counts()

    response = client.post(
        _preview_url(event, preview),
        {"action": "refresh", "kind_0": "tweet_chat", "kind_1": "workshop"},
    )

    body = response.content.decode()
    assert "0 to create, 27 to update, 9 unchanged" in body
    assert "Sessions to update (27)" in body
    assert "Sessions unchanged (9)" in body
    assert '<option value="tweet_chat" selected>Tweet chat</option>' in body
    assert table_counts() == before
    assert _kinds(event) == SAMPLE_KINDS


def test_importing_the_same_file_again_previews_everything_unchanged(event, organiser):
    client = client_for(organiser)
    first = _uploaded(client, event)
    client.post(
        _preview_url(event, first), {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}
    )

    preview = _uploaded(client, event)
    body = client.get(_preview_url(event, preview)).content.decode()

    assert "0 to create, 0 to update, 36 unchanged" in body
    assert body.count("0 to create, 2 unchanged") == 2  # rooms and tracks
    assert "0 to create, 0 to update, 45 unchanged, 0 to remove" in body
    assert "Sessions unchanged (36)" in body


def test_cancel_discards_the_file_and_imports_nothing(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)

    response = client.post(_preview_url(event, preview), {"action": "cancel"}, follow=True)

    body = response.content.decode()
    assert response.redirect_chain == [(_import_url(event), 302)]
    assert "democon-schedule.json was not imported." in body
    assert ImportPreview.objects.count() == 0
    assert event.sessions.count() == 0


def _out_of_date(response) -> None:
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a schedule" in body
    assert "This preview is out of date: it expired, was used already, or the programme" in body


def test_an_expired_preview_asks_for_the_file_again(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)
    ImportPreview.objects.update(created_at=timezone.now() - LIFETIME - timedelta(seconds=1))

    response = client.post(
        _preview_url(event, preview),
        {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"},
    )

    _out_of_date(response)
    assert event.sessions.count() == 0
    assert ImportPreview.objects.count() == 0


def test_a_preview_made_before_the_programme_changed_asks_for_the_file_again(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)
    SessionFactory(
        event=event,
        title="Added meanwhile",
        start=timezone.now(),
        end=timezone.now() + timedelta(hours=1),
    )

    response = client.post(
        _preview_url(event, preview),
        {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"},
    )

    _out_of_date(response)
    assert list(event.sessions.values_list("title", flat=True)) == ["Added meanwhile"]
    assert ImportPreview.objects.count() == 0


def test_a_used_preview_cannot_import_twice(event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, event)
    confirm = {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}
    client.post(_preview_url(event, preview), confirm)

    response = client.post(_preview_url(event, preview), confirm)

    _out_of_date(response)
    assert event.sessions.count() == 36


def test_a_preview_is_only_its_uploaders_for_its_event(event, organiser):
    preview = _uploaded(client_for(organiser), event)
    other_organiser = UserFactory(email="other@example.org")
    EventRoleFactory(event=event, user=other_organiser, role=EventRole.Role.ORGANISER)
    other_event = EventFactory(slug="other", **SAMPLE_DATES)
    EventRoleFactory(event=other_event, user=organiser, role=EventRole.Role.ORGANISER)
    confirm = {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}

    by_another_person = client_for(other_organiser).post(_preview_url(event, preview), confirm)
    for_another_event = client_for(organiser).post(_preview_url(other_event, preview), confirm)

    _out_of_date(by_another_person)
    _out_of_date(for_another_event)
    assert Session.objects.count() == 0
    assert list(ImportPreview.objects.all()) == [preview]


def test_the_preview_is_for_organisers_only(
    client, event, organiser, host, judge, attendee, outsider
):
    preview = _uploaded(client_for(organiser), event)
    path = _preview_url(event, preview)
    before = table_counts()
    confirm = {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"}

    anonymous = client.post(path, confirm)
    refused = [
        client_for(person).post(path, confirm).status_code
        for person in (host, judge, attendee, outsider)
    ]

    assert outcome(anonymous) == LOGIN
    assert anonymous["Location"] == sign_in_url(path)
    assert refused == [403, 403, 403, 403]
    assert [client_for(p).get(path).status_code for p in (host, outsider)] == [403, 403]
    assert table_counts() == before
    assert list(ImportPreview.objects.all()) == [preview]


def test_a_bad_file_is_refused_on_upload_and_nothing_is_kept(event, organiser):
    before = table_counts()

    response = _upload(
        client_for(organiser), event, content=SAMPLE_XML.read_bytes()[:2000], name="cut.xml"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "The file ends too early (line 45, column 21: unclosed token), so it looks cut off." in body
    )
    assert table_counts() == before
    assert ImportPreview.objects.count() == 0


def test_an_upload_replaces_the_persons_earlier_preview_and_clears_expired_ones(
    event, organiser, outsider
):
    client = client_for(organiser)
    first = _uploaded(client, event)
    stale = ImportPreview.objects.create(
        token="old",
        event=EventFactory(slug="long-ago"),
        user=outsider,
        filename="a.json",
        data=b"{}",
        programme_key="x",
    )
    ImportPreview.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - LIFETIME - timedelta(minutes=1)
    )

    _upload(client, event)

    assert [p.pk for p in ImportPreview.objects.all()] not in ([first.pk], [stale.pk])
    assert ImportPreview.objects.count() == 1


@pytest.fixture
def early_event(event):
    """The event ends two days before the sample starts (25–27 November 2026)."""
    Event.objects.filter(pk=event.pk).update(
        start_date=date(2026, 11, 20), end_date=date(2026, 11, 22)
    )
    event.refresh_from_db()
    return event


def test_sessions_outside_the_events_dates_block_the_import_and_a_change_of_dates_is_offered(
    early_event, organiser
):
    client = client_for(organiser)
    preview = _uploaded(client, early_event)

    body = client.get(_preview_url(early_event, preview)).content.decode()

    assert "The file does not fit the event's dates" in body
    assert (
        "The event runs 20–22 November 2026. 36 sessions in the file are outside its dates" in body
    )
    assert "Change the event&#x27;s dates to 20–27 November 2026 to fit the file" in body
    assert "36 to create, 0 to update, 0 unchanged" in body
    assert (
        "Sessions of this event take place between 19 November 2026 and 23 November 2026 "
        "(Europe/London time): the event&#x27;s days and 1 day either side." in body
    )
    assert "Sessions outside the event's dates (36)" in body
    assert "<li>Multi-channeled multi-state monitoring, 25 November 2026 08:00</li>" in body
    assert Event.objects.get(pk=early_event.pk).end_date == date(2026, 11, 22)


def test_confirming_without_the_change_of_dates_says_what_to_do(early_event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, early_event)

    response = client.post(
        _preview_url(early_event, preview),
        {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop"},
    )

    body = response.content.decode()
    assert "<title>Error: Check the import" in body
    assert (
        '<a href="#id_extend_dates">\n                  '
        "Tick the box to change the event&#x27;s dates" in body
    )
    assert early_event.sessions.count() == 0
    assert list(ImportPreview.objects.all()) == [preview]


def test_confirming_with_the_change_of_dates_moves_them_and_imports(early_event, organiser):
    client = client_for(organiser)
    preview = _uploaded(client, early_event)

    response = client.post(
        _preview_url(early_event, preview),
        {"action": "confirm", "kind_0": "plenary", "kind_1": "workshop", "extend_dates": "on"},
    )

    early_event.refresh_from_db()
    assert "36 created, 0 updated, 0 unchanged" in response.content.decode()
    assert (early_event.start_date, early_event.end_date) == (
        date(2026, 11, 20),
        date(2026, 11, 27),
    )
    assert early_event.sessions.count() == 36


def test_a_file_no_change_of_dates_could_fit_is_refused_on_upload(event, organiser):
    Event.objects.filter(pk=event.pk).update(
        start_date=date(2030, 5, 11), end_date=date(2030, 5, 12)
    )
    event.refresh_from_db()

    response = _upload(client_for(organiser), event)

    body = response.content.decode()
    assert "<title>Error: Import a schedule" in body
    assert "is outside the event&#x27;s dates." in body
    assert ImportPreview.objects.count() == 0
