"""Role facts (events/rules.py): who hosts and who moderates a session, read once
and shared by the live room and the contributions board.

`double` is listed twice in the session: first as a speaker, then as a moderator.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from convene.events import services
from convene.events.models import Host
from convene.events.rules import moderated_session_ids, session_host_roles
from convene.live import rules as live_rules
from convene.live import selectors as live_selectors
from convene.live import services as live_services
from tests.factories import HostFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def double(session):
    user = UserFactory(email="double@example.org", name="Dee Double")
    HostFactory(session=session, user=user, guest_name="", role=Host.Role.SPEAKER, position=1)
    HostFactory(session=session, user=user, guest_name="", role=Host.Role.MODERATOR, position=2)
    return user


@pytest.fixture
def room(session):
    return live_selectors.room_by_id(live_services.room_ensure(session=session).pk)


def test_a_speaker_who_is_also_moderator_moderates_the_board_and_the_chat_room(
    double, session, room
):
    assert double.has_perm("contributions.moderate_session_board", session)
    assert double.has_perm("live.moderate_room", room)
    assert live_rules.facts(double, room, live_rules.load_directory(room)).can_moderate
    assert moderated_session_ids(double, session.event) == {session.pk}


def test_the_badge_of_someone_with_two_roles_says_what_they_do_here(double, room):
    assert live_rules.badge_for(double, room) == "moderator"


def test_a_speaker_alone_moderates_neither(session, room):
    speaker = UserFactory()
    HostFactory(session=session, user=speaker, guest_name="", role=Host.Role.SPEAKER)

    assert not speaker.has_perm("contributions.moderate_session_board", session)
    assert not speaker.has_perm("live.moderate_room", room)
    assert speaker.has_perm("contributions.answer_session_questions", session)


def test_a_person_holds_each_role_in_a_session_once(double, session):
    with pytest.raises(ValidationError), transaction.atomic():
        services.host_add(session=session, role=Host.Role.MODERATOR, user=double, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Host.objects.create(session=session, user=double, role=Host.Role.SPEAKER)

    assert session_host_roles(double, session.pk) == {Host.Role.SPEAKER, Host.Role.MODERATOR}


def test_guests_without_an_account_may_share_a_role(session):
    HostFactory(session=session, guest_name="Guest A", role=Host.Role.SPEAKER)
    HostFactory(session=session, guest_name="Guest B", role=Host.Role.SPEAKER)

    assert session.hosts.filter(role=Host.Role.SPEAKER).count() == 2


def test_role_facts_are_read_once_however_many_checks_a_page_makes(double, session, room):
    other = SessionFactory(event=session.event)
    double.has_perm("live.moderate_room", room)  # the first check reads the facts

    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            assert double.has_perm("live.moderate_room", room)
            assert double.has_perm("contributions.moderate_session_board", session)
            assert not double.has_perm("contributions.moderate_session_board", other)

    # Once each, on the first check that needs them: the person's host roles in the
    # other session, and their roles in the event (are they an organiser?).
    assert len(queries) == 2
