"""Move attendance's email ledger (EmailDelivery) into the one ledger, core.OutgoingEmail
(docs/decisions/0017): same recipient, purpose, kind, state and times; the foreign
keys become the payload's ids. Rows not finished lose `enqueued_at`, so the
scheduler's first pass enqueues them for the one send task (the old task is gone)."""

from django.db import migrations

FINISHED = ("sent", "failed", "uncertain")
FIELDS = ("recipient", "purpose", "kind", "state", "attempts", "claimed_by", "lease_until")
TIMES = ("created_at", "sent_at", "last_error")
KEYS = ("registration", "session", "message")
KINDS = ("verify", "confirmation", "promotion", "reminder", "recording", "message", "cancellation")


def _keeping_created_at(model):
    # auto_now_add would stamp every copied row "now", and the per-address
    # limits count rows by when they were made.
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    return model


def forward(apps, schema_editor):
    EmailDelivery = apps.get_model("attendance", "EmailDelivery")
    OutgoingEmail = _keeping_created_at(apps.get_model("core", "OutgoingEmail"))
    batch = []
    for old in EmailDelivery.objects.order_by("pk").iterator(chunk_size=1000):
        payload = {key: getattr(old, f"{key}_id") for key in KEYS if getattr(old, f"{key}_id")}
        batch.append(
            OutgoingEmail(
                payload=payload,
                enqueued_at=old.enqueued_at if old.state in FINISHED else None,
                **{name: getattr(old, name) for name in FIELDS + TIMES},
            )
        )
        if len(batch) == 1000:
            OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
    EmailDelivery.objects.all().delete()


def backward(apps, schema_editor):
    EmailDelivery = _keeping_created_at(apps.get_model("attendance", "EmailDelivery"))
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    rows = OutgoingEmail.objects.filter(kind__in=KINDS)
    existing = {
        "registration": set(apps.get_model("attendance", "Registration").objects.values_list("pk", flat=True)),
        "session": set(apps.get_model("events", "Session").objects.values_list("pk", flat=True)),
        "message": set(apps.get_model("attendance", "SessionMessage").objects.values_list("pk", flat=True)),
    }  # fmt: skip
    back = []
    for new in rows.order_by("pk").iterator(chunk_size=1000):
        ids = {key: new.payload.get(key) for key in KEYS}
        if any(pk is not None and pk not in existing[key] for key, pk in ids.items()):
            continue  # what it was about is gone; the foreign keys would cascade it away
        back.append(
            EmailDelivery(
                enqueued_at=new.enqueued_at if new.state in FINISHED else None,
                **{f"{key}_id": pk for key, pk in ids.items()},
                **{name: getattr(new, name) for name in FIELDS + TIMES},
            )
        )
    EmailDelivery.objects.bulk_create(back, batch_size=1000, ignore_conflicts=True)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0002_emaildelivery_kind_cancellation"),
        ("core", "0001_outgoing_email"),
        ("events", "0006_session_capacity"),
    ]

    operations = [migrations.RunPython(forward, backward)]
