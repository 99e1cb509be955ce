"""Services: numbers in commit order, idempotent retries, the room's limits, moderation."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from convene.attendance.models import Attendance
from convene.core.models import AuditEntry
from convene.live import services
from convene.live.models import (
    LiveSettings,
    Message,
    Participant,
    Reaction,
    Report,
    Room,
)
from convene.live.services import RefusedError
from tests.conftest import IMMEDIATE_TASKS
from tests.factories import EventFactory, SessionFactory
from tests.live.conftest import registered_person

pytestmark = pytest.mark.django_db


def post(room, user, text="Hello", client_id=None, **kwargs):
    post.counter = getattr(post, "counter", 0) + 1
    return services.message_post(
        room=room,
        author=user,
        text=text,
        client_id=client_id or f"client-{post.counter:06d}",
        **kwargs,
    )


def _refusal(function, **kwargs) -> RefusedError:
    with pytest.raises(RefusedError) as refused:
        function(**kwargs)
    return refused.value


def test_messages_take_the_rooms_next_number_in_order(room, registered, moderator):
    first, _ = post(room, registered, "One")
    second, _ = post(room, moderator, "Two")
    hidden = services.message_hide(message=first, by=moderator)

    room.refresh_from_db()
    assert [first.seq, second.seq, hidden.updated_seq, room.last_seq] == [1, 2, 3, 3]
    assert (second.author_name, second.badge) == ("Mo Moderator", "moderator")


def test_each_room_has_its_own_sequence(room, registered, event):
    other = services.room_ensure(session=SessionFactory(event=event))

    post(room, registered)
    message, _ = post(other, registered)

    assert message.seq == 1


def test_retried_send_with_the_same_client_id_stores_one_message(room, registered):
    first, created = post(room, registered, "Hi", client_id="retry-me-1")
    again, created_again = post(room, registered, "Hi", client_id="retry-me-1")

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Message.objects.count() == 1
    assert Room.objects.get().last_seq == 1


def _blocked_on_a_lock() -> int:
    """PostgreSQL: how many other connections wait for a lock now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else fixed for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def _at_once(function, count: int, **kwargs) -> list:
    """Call `function` from `count` threads (each its own database connection),
    so that all of them have checked for an earlier copy before any stores one.

    The room row is held here meanwhile: on PostgreSQL each call waits for it
    when it takes its number, after its check; on SQLite each waits at BEGIN
    IMMEDIATE, before it (writers one at a time, so no race to lose)."""
    results: list = [None] * count

    def call(index: int) -> None:
        try:
            results[index] = function(**kwargs)
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(i,)) for i in range(count)]
    with transaction.atomic():
        Room.objects.select_for_update().get(pk=kwargs["room"].pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        if connection.vendor == "postgresql":
            while _blocked_on_a_lock() < count and time.monotonic() < deadline:
                time.sleep(0.02)
            assert _blocked_on_a_lock() == count
        else:
            time.sleep(0.2)
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["message", "prompt"])
def test_same_client_id_from_several_sockets_at_once_stores_one(room, registered, host, kind):
    send = services.message_post if kind == "message" else services.prompt_post
    author = registered if kind == "message" else host

    results = _at_once(send, 3, room=room, author=author, text="Hi", client_id="at-once-1")

    assert [r for r in results if isinstance(r, Exception)] == []
    [stored] = Message.objects.all()
    assert sorted((message.pk, created) for message, created in results) == [
        (stored.pk, False),
        (stored.pk, False),
        (stored.pk, True),
    ]
    assert (stored.client_id, stored.kind, stored.seq) == ("at-once-1", kind, 1)
    assert Room.objects.get().last_seq == 1  # the duplicates' numbers were taken back


def test_someone_elses_client_id_is_refused(room, registered, event):
    post(room, registered, client_id="taken-id-1")
    other = registered_person(event)

    refusal = _refusal(
        services.message_post, room=room, author=other, text="x", client_id="taken-id-1"
    )

    assert refusal.code == "bad_request"


def test_rate_limit_refuses_the_sixth_message_in_ten_seconds_politely(room, registered):
    for _ in range(5):
        post(room, registered)

    refusal = _refusal(
        services.message_post, room=room, author=registered, text="x", client_id="sixth-message"
    )

    assert refusal.code == "rate_limited"
    assert 1 <= refusal.retry_after <= 10
    assert "Please wait" in refusal.messages[0]
    assert Message.objects.count() == 5


def test_rate_limit_is_per_person(room, registered, event):
    for _ in range(5):
        post(room, registered)

    _message, created = post(room, registered_person(event))

    assert created


def test_slow_mode_allows_one_message_per_interval_but_not_for_hosts(room, registered, moderator):
    services.room_slow_mode_set(room=room, seconds=30, by=moderator)
    room.refresh_from_db()
    post(room, registered)

    refusal = _refusal(
        services.message_post, room=room, author=registered, text="x", client_id="too-soon-1"
    )
    post(room, moderator)
    post(room, moderator)

    assert refusal.code == "slow_mode"
    assert 28 <= refusal.retry_after <= 30
    assert Message.objects.filter(author=moderator).count() == 2


def test_closed_chat_refuses_attendees_but_not_hosts(room, registered, moderator):
    services.room_open_set(room=room, is_open=False, by=moderator)
    room.refresh_from_db()

    refusal = _refusal(
        services.message_post, room=room, author=registered, text="x", client_id="closed-1"
    )
    _message, created = post(room, moderator, "We are closed now")

    assert refusal.code == "closed"
    assert created


def test_muted_person_cannot_post_until_unmuted(room, registered, moderator):
    services.participant_mute(room=room, user=registered, by=moderator, muted=True)

    refusal = _refusal(
        services.message_post, room=room, author=registered, text="x", client_id="muted-1"
    )
    services.participant_mute(room=room, user=registered, by=moderator, muted=False)
    _, created = post(room, registered)

    assert refusal.code == "muted"
    assert created
    # In the event's audit log, on the room, about the muted person (core.audit).
    assert list(
        AuditEntry.objects.order_by("id").values_list("action", "subject", "object_id", "event_id")
    ) == [
        ("live.mute", registered.pk, room.pk, room.session.event_id),
        ("live.unmute", registered.pk, room.pk, room.session.event_id),
    ]


def test_hosts_cannot_be_muted(room, moderator, host):
    refusal = _refusal(services.participant_mute, room=room, user=host, by=moderator, muted=True)

    assert refusal.code == "forbidden"
    assert not Participant.objects.filter(muted_at__isnull=False).exists()


def test_hiding_keeps_the_message_for_the_audit_and_unpins_a_prompt(room, host):
    prompt, _ = services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-01")
    room.refresh_from_db()
    assert room.pinned_prompt == prompt

    services.message_hide(message=prompt, by=host)
    services.message_hide(message=prompt, by=host)  # again: nothing more

    room.refresh_from_db()
    prompt.refresh_from_db()
    assert room.pinned_prompt is None
    assert (prompt.hidden_by, prompt.text, room.last_seq) == (host, "Top tip?", 2)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.data) == ("live.hide", host, {"message": "#1"})


def test_reply_links_only_to_a_visible_prompt_of_the_same_room(room, registered, host, event):
    prompt, _ = services.prompt_post(room=room, author=host, text="Q?", client_id="prompt-02")
    other_room = services.room_ensure(session=SessionFactory(event=event))
    foreign = services.message_import(
        room=other_room, author_name="A", badge="", text="Q2?", client_id="prompt-03", kind="prompt"
    )

    linked, _ = post(room, registered, reply_to_id=prompt.pk)
    unlinked, _ = post(room, registered, reply_to_id=foreign.pk)

    assert (linked.reply_to, unlinked.reply_to) == (prompt, None)


def test_only_moderators_post_prompts(room, registered):
    refusal = _refusal(
        services.prompt_post, room=room, author=registered, text="Q?", client_id="prompt-04"
    )

    assert refusal.code == "forbidden"


def test_reaction_toggles_and_counts(room, registered, event):
    message, _ = post(room, registered)
    other = registered_person(event)

    assert services.reaction_toggle(message=message, user=registered) == (True, 1)
    assert services.reaction_toggle(message=message, user=other) == (True, 2)
    assert services.reaction_toggle(message=message, user=registered) == (False, 1)
    message.refresh_from_db()
    assert (message.plus_ones, message.reaction_rev, Reaction.objects.count()) == (1, 3, 1)


def test_question_mark_needs_a_visible_message(room, registered, host):
    message, _ = post(room, registered)

    marked = services.message_mark_question(message=message, by=host, is_question=True)
    services.message_hide(message=message, by=host)
    refusal = _refusal(services.message_mark_question, message=message, by=host, is_question=False)

    assert marked.is_question
    assert marked.updated_seq == 2
    assert refusal.code == "hidden"


def test_a_report_is_stored_once_per_person(room, registered, event):
    message, _ = post(room, registered)
    reporter = registered_person(event)

    services.message_report(message=message, by=reporter, reason="Off topic")
    services.message_report(message=message, by=reporter, reason="Again")

    assert list(Report.objects.values_list("reporter", "reason")) == [(reporter.pk, "Off topic")]


def test_first_entry_records_attendance_once(room, registered):
    services.participant_join(room=room, user=registered)
    services.participant_join(room=room, user=registered)

    assert Participant.objects.count() == 1
    assert list(Attendance.objects.values_list("user", "source")) == [(registered.pk, "live_room")]


def test_presence_peak_only_rises(room):
    assert services.room_presence_record(room_id=room.pk, count=12)
    assert not services.room_presence_record(room_id=room.pk, count=5)

    room.refresh_from_db()
    assert room.peak_presence == 12


def test_too_long_or_empty_text_is_refused(room, registered, settings):
    settings.LIVE_MESSAGE_MAX_LENGTH = 10

    assert (
        _refusal(
            services.message_post, room=room, author=registered, text="x" * 11, client_id="long-one"
        ).code
        == "too_long"
    )
    assert (
        _refusal(
            services.message_post, room=room, author=registered, text="   ", client_id="empty-one"
        ).code
        == "empty"
    )
    assert not Message.objects.exists()


def test_retention_deletes_messages_only_after_the_events_period(registered):
    ended = EventFactory(start_date=date(2024, 1, 10), end_date=date(2024, 1, 10))
    kept = EventFactory(start_date=date(2024, 1, 10), end_date=date(2024, 1, 10))
    LiveSettings.objects.create(event=ended, retention_days=30)
    old_room = services.room_ensure(session=SessionFactory(event=ended))
    kept_room = services.room_ensure(session=SessionFactory(event=kept))
    for index, target in enumerate([old_room, old_room, kept_room]):
        services.message_import(
            room=target, author_name="A", badge="", text="x", client_id=f"import-{index}"
        )

    too_early = services.messages_purge_expired(today=date(2024, 2, 9))
    result = services.messages_purge_expired(today=date(2024, 2, 10))

    assert too_early == {"rooms": 0, "messages": 0}
    assert result == {"rooms": 1, "messages": 2}
    assert list(Message.objects.values_list("room", flat=True)) == [kept_room.pk]


def test_purge_command_reports_what_it_deleted(registered):
    from io import StringIO

    from django.core.management import call_command

    ended = EventFactory(start_date=date(2024, 1, 10), end_date=date(2024, 1, 10))
    LiveSettings.objects.create(event=ended, retention_days=0)
    target = services.room_ensure(session=SessionFactory(event=ended))
    services.message_import(room=target, author_name="A", badge="", text="x", client_id="import-x")
    out = StringIO()

    call_command("purge_live_messages", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 messages from 1 chat rooms."
    assert not Message.objects.exists()


def test_rate_limit_window_uses_message_times(room, registered):
    for index in range(5):
        message, _ = post(room, registered)
        Message.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(seconds=11 + index)
        )

    _, created = post(room, registered)

    assert created


def test_entries_are_recorded_in_batches_with_attendance_by_a_task(
    room, registered, event, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    other = registered_person(event)
    services.participant_join(room=room, user=registered)

    with django_capture_on_commit_callbacks(execute=True):
        new = services.participants_join(
            room_id=room.pk, user_ids=[registered.pk, other.pk, other.pk]
        )

    assert new == [other.pk]
    assert Participant.objects.count() == 2
    assert sorted(Attendance.objects.values_list("user", flat=True)) == sorted(
        [registered.pk, other.pk]
    )
