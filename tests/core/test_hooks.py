"""The one extension convention (core/hooks.py): hook points and each app's hooks.py."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from convene.accounts.extensions import PERSONAL_DATA, PROFILE_SECTIONS
from convene.console import extensions as console_extensions
from convene.console.extensions import RECIPIENT_GROUPS
from convene.core import hooks, outbox
from convene.events import extensions
from convene.live.extensions import MESSAGE_ACTIONS
from convene.spread.extensions import PRINCIPLE_SECTIONS


@pytest.fixture
def point():
    hook = hooks.Hook("test.point", key=lambda value: value[0])
    yield hook
    del hooks.POINTS["test.point"]


def test_values_keep_their_order_and_a_key_registered_again_is_replaced_in_place(point):
    point.register(("a", 1))
    point.register(("b", 2))
    point.register(("a", 3))

    assert point.all() == [("a", 3), ("b", 2)]
    assert point.get("b") == ("b", 2)
    assert point.get("c") is None


def test_a_unique_point_refuses_a_second_value_for_a_key_but_takes_the_same_one_again():
    hook = hooks.Hook("test.unique", key=lambda value: value[0], unique=True)
    try:
        hook.register(("kind", "builder"))
        hook.register(("kind", "builder"))  # the same module imported twice: fine

        with pytest.raises(ImproperlyConfigured, match="Two different values for 'kind'"):
            hook.register(("kind", "another builder"))
        assert hook.all() == [("kind", "builder")]
    finally:
        del hooks.POINTS["test.unique"]


def test_two_points_with_one_name_are_refused(point):
    with pytest.raises(ImproperlyConfigured, match=r"already a hook point named 'test\.point'"):
        hooks.Hook("test.point")


def test_added_and_replaced_last_for_the_block_only(point):
    point.register(("a", 1))

    with point.added(("b", 2)):
        assert point.all() == [("a", 1), ("b", 2)]
        with point.replaced([("c", 3)]):
            assert point.all() == [("c", 3)]
        assert point.all() == [("a", 1), ("b", 2)]
    assert point.all() == [("a", 1)]


def test_every_apps_hooks_module_was_found_at_start_up_in_installed_apps_order():
    order = [config.name for config in apps.get_app_configs()]

    pages = [type(e).__module__.rsplit(".", 1)[0] for e in extensions.PAGES.all()]
    assert pages == ["convene.attendance", "convene.live", "convene.contributions"]
    assert pages == sorted(pages, key=order.index)
    assert [e.section for e in extensions.organiser_nav()] == [
        "dashboard", "settings", "grid", "sessions", "tracks", "problems", "import", "exports",
        "team", "registrations", "numbers", "messages", "chat", "log",
    ]  # fmt: skip
    assert sorted(p.key for p in PERSONAL_DATA.all()) == [
        "attendance",
        "audit_log",
        "console",
        "contributions",
        "live",
        "team_invitations",
    ]
    assert [s.key for s in PROFILE_SECTIONS.all()] == ["attendance"]
    assert [type(e).__name__ for e in PRINCIPLE_SECTIONS.all()] == ["ContributionsLens"]
    assert [a.name for a in MESSAGE_ACTIONS.all()] == [
        "contributions-save-tip",
        "contributions-mark-question",
    ]
    assert [load.__module__ for load in extensions.DEMO_DATA.all()] == [
        "convene.live.demo",
        "convene.contributions.demo",
        "convene.console.demo",
    ]
    assert [load.__name__ for load in extensions.EVENT_COPIED.all()] == ["chat_settings_copy"]
    assert [s.key for s in extensions.SETTINGS_SECTIONS.all()] == ["chat"]
    assert {"answer", "host_invitation", "team_invitation", "group_message"} <= set(
        outbox.registered_kinds()
    )
    assert "message" not in outbox.registered_kinds()  # attendance's old per-session message
    assert [g.key for g in RECIPIENT_GROUPS.all()] == [
        "registrants", "session_registrants", "waiting_list",
        "hosts", "session_hosts", "reviewers", "judges", "team",
    ]  # fmt: skip
    assert [j.name for j in outbox.SCHEDULED_JOBS.all()] == ["reminders recorded"]
    assert [c.key for c in console_extensions.dashboard_columns()] == [
        "attendance.places_left", "attendance.waiting", "attendance.joined",
        "live.messages", "live.chatters",
        "contributions.tips", "contributions.ideas", "contributions.questions",
    ]  # fmt: skip
    assert [p.key for p in console_extensions.dashboard_panels()] == [
        "attendance.registrations", "console.sessions",
        "contributions.top_tips", "contributions.questions",
    ]  # fmt: skip


def test_every_hook_point_is_listed_by_name():
    assert sorted(hooks.POINTS) == [
        "accounts.personal_data",
        "accounts.profile_sections",
        "console.dashboard_columns",
        "console.dashboard_panels",
        "console.recipient_groups",
        "core.audit_actions",
        "core.email_kinds",
        "core.scheduled_jobs",
        "events.demo_data",
        "events.event_copied",
        "events.organiser_nav",
        "events.pages",
        "events.settings_sections",
        "live.message_actions",
        "spread.principle_sections",
    ]
