"""core.audit: the one audit log facility every app writes through."""

from datetime import date

import pytest

from convene.core import audit
from convene.core.models import AuditEntry
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_an_undeclared_action_is_refused_and_nothing_is_written(organiser):
    with pytest.raises(LookupError, match=r"Undeclared audit action 'events\.nonsense'"):
        audit.audit_record(actor=organiser, action="events.nonsense")

    assert AuditEntry.objects.count() == 0


def test_a_row_names_the_actor_the_thing_and_its_event(organiser):
    event = EventFactory(title="Spread 2026")

    entry = audit.audit_record(
        actor=organiser, action="events.programme_published", obj=event, event_id=event.pk
    )

    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name, entry.object_repr, entry.event_id) == (
        organiser,
        "Olu Organiser",
        "Spread 2026",
        event.pk,
    )
    assert (entry.object_type.model_class(), entry.object_id) == (type(event), event.pk)


def test_an_anonymous_or_missing_actor_is_the_system():
    from django.contrib.auth.models import AnonymousUser

    entries = [
        audit.audit_record(actor=actor, action="events.schedule_imported")
        for actor in (None, AnonymousUser())
    ]

    assert [(e.actor, e.actor_name) for e in entries] == [(None, ""), (None, "")]


def test_changes_keep_what_differs_and_cut_long_text():
    long_before, long_after = "a" * 200, "a" * 199 + "b"

    changed = audit.changes(
        {"title": "Old", "capacity": 10, "description": long_before},
        {"title": "New", "capacity": 10, "description": long_after},
    )

    assert changed == {
        "title": ["Old", "New"],
        "description": ["a" * 119 + "…", "a" * 119 + "…"],
    }


def test_describe_reads_as_lines():
    assert audit.describe(
        {"title": ["Old", "New"], "join_url": ["", "https://x"], "do_not_record": True,
         "start_date": [date(2030, 1, 1), None], "recipients": 3}
    ) == [
        ("Title", "Old → New"),
        ("Join url", "– → https://x"),
        ("Do not record", "yes"),
        ("Start date", "2030-01-01 → –"),
        ("Recipients", "3"),
    ]  # fmt: skip


def test_a_persons_export_lists_their_changes(organiser):
    event = EventFactory()
    audit.audit_record(actor=organiser, action="events.track_created", event_id=event.pk)

    assert [(row["action"], row["event_id"]) for row in audit.person_export(organiser)] == [
        ("Added a track", event.pk)
    ]
