# The room's moderation trail moves into the one audit log (core.AuditEntry,
# docs/decisions/0020 and core/audit.py): every row is copied, then the table goes.

from django.db import migrations

LABELS = ["hide", "mute", "unmute", "slow_mode", "close", "reopen", "unpin", "question", "unquestion"]


def _name(user) -> str:
    if user is None:
        return ""
    return (user.name or user.email)[:200]


def copy_into_the_audit_log(apps, schema_editor):
    ModerationAction = apps.get_model("live", "ModerationAction")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    room_type, _ = ContentType.objects.get_or_create(app_label="live", model="room")
    rows = ModerationAction.objects.select_related(
        "room__session", "actor", "target", "message"
    ).order_by("created_at", "id")
    entries = []
    for row in rows.iterator(chunk_size=1000):
        data = {}
        if row.message is not None:
            data["message"] = f"#{row.message.seq}"
        if row.detail:
            data["detail"] = row.detail
        entries.append(
            AuditEntry(
                created_at=row.created_at,
                actor=row.actor,
                actor_name=_name(row.actor),
                event_id=row.room.session.event_id,
                action=f"live.{row.action}",
                object_type=room_type,
                object_id=row.room_id,
                object_repr=f"Chat room of {row.room.session.title}"[:200],
                subject=row.target,
                subject_name=_name(row.target),
                data=data,
            )
        )
        if len(entries) >= 1000:
            AuditEntry.objects.bulk_create(entries)
            entries = []
    AuditEntry.objects.bulk_create(entries)


def copy_back(apps, schema_editor):
    ModerationAction = apps.get_model("live", "ModerationAction")
    AuditEntry = apps.get_model("core", "AuditEntry")
    rows = AuditEntry.objects.filter(action__in=[f"live.{code}" for code in LABELS])
    ModerationAction.objects.bulk_create(
        ModerationAction(
            room_id=entry.object_id,
            actor=entry.actor,
            action=entry.action.removeprefix("live."),
            target=entry.subject,
            detail=entry.data.get("detail", ""),
        )
        for entry in rows
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("core", "0002_audit_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_into_the_audit_log, copy_back),
        migrations.DeleteModel(name="ModerationAction"),
    ]
