"""live 0002: the rooms' moderation trail (ModerationAction) moves into the one audit log
(core.AuditEntry) — every row, with who, whom, when and what — and back again."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from convene.core import audit
from convene.core.models import AuditEntry
from convene.live import services
from tests.conftest import client_for
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

# With the stamps table (core 0003), which the factories' signals write to.
BEFORE = [("live", "0001_initial"), ("core", "0003_stamp")]
AFTER = [("live", "0002_moderation_into_the_audit_log")]
WHEN = datetime(2026, 5, 24, 10, 30, tzinfo=UTC)


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_trail():
    yield _migrate(BEFORE)
    _migrate()


def test_every_moderation_row_becomes_an_audit_entry_and_back(old_trail, moderator, attendee):
    session = SessionFactory(title="Spreading improvement")
    room = services.room_ensure(session=session)
    action = old_trail.get_model("live", "ModerationAction")
    action.objects.create(
        room_id=room.pk, actor_id=moderator.pk, action="mute", target_id=attendee.pk
    )
    action.objects.create(
        room_id=room.pk, actor_id=moderator.pk, action="slow_mode", detail="30 seconds"
    )
    action.objects.update(created_at=WHEN)

    _migrate(AFTER)

    entries = list(audit.entries_for_object(obj=room).order_by("id"))
    assert [
        (e.actor_id, e.actor_name, e.action, e.subject_id, e.subject_name, e.data, e.created_at)
        for e in entries
    ] == [
        (moderator.pk, "Mo Moderator", "live.mute", attendee.pk, "Ade Attendee", {}, WHEN),
        (moderator.pk, "Mo Moderator", "live.slow_mode", None, "", {"detail": "30 seconds"}, WHEN),
    ]
    assert {(e.event_id, e.object_repr) for e in entries} == {
        (session.event_id, "Chat room of Spreading improvement")
    }

    back = _migrate(BEFORE)
    assert sorted(
        back.get_model("live", "ModerationAction").objects.values_list("action", "target_id")
    ) == [("mute", attendee.pk), ("slow_mode", None)]
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_rooms_management_page_lists_its_moderation_from_the_audit_log(
    organiser, host, moderator, attendee, session
):
    room = services.room_ensure(session=session)
    services.participant_mute(room=room, user=attendee, by=moderator, muted=True)
    services.room_slow_mode_set(room=room, seconds=30, by=host)
    url = reverse("live:manage", kwargs={"event": session.event.slug, "session": session.slug})

    html = client_for(organiser).get(url).content.decode()

    log = html.split("<h2>Moderation log</h2>")[1]
    assert ": Hana Host – changed a chat&#x27;s slow mode: 30 seconds</li>" in log
    assert ": Mo Moderator – muted a person in a chat (Ade Attendee)</li>" in log
