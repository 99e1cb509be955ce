"""Move contributions' answer-email ledger (AnswerEmail) into the one ledger,
core.OutgoingEmail (docs/decisions/0017): kind "answer", purpose
`answer:<question>`, payload `{"question": <id>}`, same state and times. Rows not
finished lose `enqueued_at`, so the scheduler's first pass enqueues them for the
one send task (the old task is gone)."""

from django.db import migrations

FINISHED = ("sent", "failed", "uncertain")
FIELDS = ("recipient", "state", "attempts", "claimed_by", "lease_until")
TIMES = ("created_at", "sent_at", "last_error")


def _keeping_created_at(model):
    # auto_now_add would stamp every copied row "now".
    model._meta.get_field("created_at").auto_now_add = False
    return model


def forward(apps, schema_editor):
    AnswerEmail = apps.get_model("contributions", "AnswerEmail")
    OutgoingEmail = _keeping_created_at(apps.get_model("core", "OutgoingEmail"))
    OutgoingEmail.objects.bulk_create(
        (
            OutgoingEmail(
                kind="answer",
                purpose=f"answer:{old.question_id}",
                payload={"question": old.question_id},
                enqueued_at=old.enqueued_at if old.state in FINISHED else None,
                **{name: getattr(old, name) for name in FIELDS + TIMES},
            )
            for old in AnswerEmail.objects.order_by("pk").iterator(chunk_size=1000)
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
    AnswerEmail.objects.all().delete()


def backward(apps, schema_editor):
    AnswerEmail = _keeping_created_at(apps.get_model("contributions", "AnswerEmail"))
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    questions = set(
        apps.get_model("contributions", "Contribution").objects.values_list("pk", flat=True)
    )
    rows = OutgoingEmail.objects.filter(kind="answer")
    AnswerEmail.objects.bulk_create(
        (
            AnswerEmail(
                question_id=new.payload["question"],
                enqueued_at=new.enqueued_at if new.state in FINISHED else None,
                **{name: getattr(new, name) for name in FIELDS + TIMES},
            )
            for new in rows.order_by("pk").iterator(chunk_size=1000)
            if new.payload.get("question") in questions
        ),
        batch_size=1000,
        ignore_conflicts=True,  # one per question: the first row wins
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("core", "0001_outgoing_email"),
    ]

    operations = [migrations.RunPython(forward, backward)]
