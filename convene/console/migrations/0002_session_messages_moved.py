"""Move attendance's per-session messages (attendance.SessionMessage) into the console's
messages to groups (docs/decisions/0027): each becomes a GroupMessage with the same id,
to "People registered for chosen sessions" (the same people: booked or waiting, or
everyone registered for a drop-in), with its session chosen, essential (the old form
had no choice: everyone got it), with its subject, body, sender, time and count.
Its emails in the ledger follow: kind `message` → `group_message`, purpose
`message:<id>` → `group_message:<id>`, payload `{"message": <id>}`, states untouched,
so the sent log shows how they went and any not yet sent are built by the new builder.
Emails of kind `message` whose message is gone (its session was deleted) and not yet
sent are failed as no longer wanted: nothing builds that kind any more.

Backwards, the messages that fit the old table (that group, one session, essential)
go back with their emails; the others stay in the console."""

from django.core.management.color import no_style
from django.db import migrations

FINISHED = ("sent", "failed", "uncertain")
GROUP = "session_registrants"


def _reset_sequences(schema_editor, model):
    connection = schema_editor.connection
    for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    SessionMessage = apps.get_model("attendance", "SessionMessage")
    GroupMessage = apps.get_model("console", "GroupMessage")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    moved = []
    for old in SessionMessage.objects.select_related("session").order_by("pk").iterator():
        message = GroupMessage.objects.create(
            id=old.pk,
            event_id=old.session.event_id,
            group=GROUP,
            subject=old.subject or "Message from the organisers",
            body=old.body,
            optional=False,
            sent_by_id=old.sent_by_id,
            created_at=old.created_at,
            recipient_count=old.recipient_count,
        )
        message.sessions.add(old.session_id)
        OutgoingEmail.objects.filter(kind="message", purpose=f"message:{old.pk}").update(
            kind="group_message", purpose=f"group_message:{old.pk}", payload={"message": old.pk}
        )
        moved.append(old.pk)
    OutgoingEmail.objects.filter(kind="message").exclude(state__in=FINISHED).update(
        state="failed", lease_until=None, last_error="No longer needed."
    )
    SessionMessage.objects.filter(pk__in=moved).delete()
    if moved:
        _reset_sequences(schema_editor, GroupMessage)


def backward(apps, schema_editor):
    SessionMessage = apps.get_model("attendance", "SessionMessage")
    SessionMessage._meta.get_field("created_at").auto_now_add = False  # keep the times
    Registration = apps.get_model("attendance", "Registration")
    GroupMessage = apps.get_model("console", "GroupMessage")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    back = []
    for message in (
        GroupMessage.objects.filter(group=GROUP, optional=False)
        .prefetch_related("sessions")
        .order_by("pk")
    ):
        sessions = list(message.sessions.all())
        if len(sessions) != 1:
            continue
        [session] = sessions
        SessionMessage.objects.create(
            id=message.pk,
            session_id=session.pk,
            subject=message.subject,
            body=message.body,
            sent_by_id=message.sent_by_id,
            created_at=message.created_at,
            recipient_count=message.recipient_count,
        )
        registrations = {
            email.lower(): pk
            for pk, email in Registration.objects.filter(event_id=message.event_id).values_list(
                "pk", "email"
            )
        }
        rows = list(
            OutgoingEmail.objects.filter(
                kind="group_message", purpose=f"group_message:{message.pk}"
            )
        )
        for row in rows:
            ids = {"registration": registrations.get(row.recipient), "session": session.pk}
            row.kind = "message"
            row.purpose = f"message:{message.pk}"
            row.payload = {**{k: v for k, v in ids.items() if v is not None}, "message": message.pk}
        OutgoingEmail.objects.bulk_update(rows, ["kind", "purpose", "payload"], batch_size=1000)
        back.append(message.pk)
    GroupMessage.objects.filter(pk__in=back).delete()
    if back:
        _reset_sequences(schema_editor, SessionMessage)


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0001_initial"),
        ("attendance", "0004_remove_emaildelivery"),
        ("core", "0001_outgoing_email"),
    ]

    operations = [migrations.RunPython(forward, backward)]
