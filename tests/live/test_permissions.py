"""Who may read, write, moderate and manage a room: the permission matrix, and the
entrance's one-lookup version (rules.facts) agreeing with the `live.*` permissions.
The personas and `matrix`: tests/personas.py."""

import pytest

from convene.live import rules as live_rules
from convene.live import selectors, services
from tests.personas import matrix

pytestmark = pytest.mark.django_db

NOTHING = (False, False, False, False)
# persona: (read, post, moderate, manage) in a room only registered people may read;
# `attendee` is signed in but not registered (`registered` is the same person, registered).
MATRIX = matrix(
    {
        "organiser": (True, True, True, True),
        "host": (True, True, True, False),
        "moderator": (True, True, True, False),
        "registered": (True, True, False, False),
        "speaker": (True, True, False, False),  # a host row, not a moderating one
        "superuser": (True, True, True, True),
    },
    refused=NOTHING,
    personas=[
        "organiser", "host", "moderator", "registered", "attendee", "judge", "outsider",
        "anonymous", "speaker", "superuser",
    ],
)  # fmt: skip
OPEN_ROOM = matrix(
    {
        "registered": (True, True, False, False),
        "outsider": (True, False, False, False),
        "anonymous": (True, False, False, False),
    },
    personas=["registered", "outsider", "anonymous"],
)


def _permissions(user, room):
    return tuple(
        user.has_perm(f"live.{name}", room)
        for name in ("view_room", "post_in_room", "moderate_room", "manage_room")
    )


@pytest.mark.parametrize(("persona", "expected"), MATRIX)
def test_registration_only_room_permissions(persona_user, room, persona, expected):
    user = persona_user(persona)

    assert _permissions(user, room) == expected
    for directory in (None, live_rules.load_directory(room)):
        access = selectors.room_access(user=user, room=room, directory=directory)
        assert (
            access.can_read,
            access.can_post,
            access.can_moderate,
            access.can_manage,
        ) == expected


@pytest.mark.parametrize(("persona", "expected"), OPEN_ROOM)
def test_open_room_lets_anyone_read_but_only_registered_people_write(
    persona_user, room, persona, expected
):
    services.room_settings_update(room=room, read_access="anyone")
    room = selectors.room_by_id(room.pk)
    user = persona_user(persona)

    assert _permissions(user, room) == expected
    for directory in (None, live_rules.load_directory(room)):
        facts = live_rules.facts(user, room, directory)
        assert (facts.can_read, facts.can_post) == expected[:2]


def test_event_setting_opens_every_room_unless_a_room_says_otherwise(room, outsider, event):
    from convene.live.models import LiveSettings

    LiveSettings.objects.create(event=event, read_access="anyone")
    room = selectors.room_by_id(room.pk)
    assert outsider.has_perm("live.view_room", room)

    services.room_settings_update(room=room, read_access="registered")
    room = selectors.room_by_id(room.pk)
    outsider.__dict__.pop("_convene_live", None)
    assert not outsider.has_perm("live.view_room", room)


def test_a_room_of_an_unpublished_programme_is_for_organisers_only(room, registered, organiser):
    room.session.event.programme_published = False
    room.session.event.save()
    room = selectors.room_by_id(room.pk)

    assert not registered.has_perm("live.view_room", room)
    assert organiser.has_perm("live.view_room", room)


def test_badges(room, organiser, host, moderator, registered):
    registered.lived_experience_partner = True

    assert [live_rules.badge_for(u, room) for u in (organiser, host, moderator, registered)] == [
        "organiser",
        "host",
        "moderator",
        "lived_experience_partner",
    ]
