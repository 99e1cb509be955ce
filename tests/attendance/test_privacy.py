"""Registrations are in "download my data" and go with "delete my account"."""

import json

import pytest
from django.urls import reverse

from convene.accounts.selectors import user_data_export
from convene.attendance import services
from convene.attendance.models import Booking, CalendarLink, Registration, Star
from tests.attendance.conftest import register
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_my_data_holds_registrations_with_access_needs_bookings_and_stars(
    attendee, soon_event, workshop, drop_in
):
    registration = register(
        attendee, soon_event, access_needs="Live captions, please", organisation="NHS Trust"
    )
    services.booking_create(registration=registration, session=workshop)
    services.star_add(user=attendee, session=drop_in)
    services.calendar_link_get_or_create(user=attendee)

    response = client_for(attendee).get(reverse("accounts:download_data"))

    part = json.loads(response.content)["attendance"]
    (exported,) = part["registrations"]
    assert (exported["event_slug"], exported["access_needs"], exported["organisation"]) == (
        "spread-conversation",
        "Live captions, please",
        "NHS Trust",
    )
    assert exported["bookings"] == [{"session": "Workshop", "state": "booked"}]
    assert part["starred_sessions"] == [{"event_slug": "spread-conversation", "session": "Drop-in"}]
    assert part["has_calendar_feed"] is True


def test_my_data_costs_a_fixed_number_of_queries_with_registrations(
    attendee, soon_event, workshop, django_assert_num_queries
):
    services.booking_create(registration=register(attendee, soon_event), session=workshop)

    # accounts: email addresses, event roles, hosting; attendance: registrations,
    # their bookings, stars, sessions joined, calendar feed; contributions: shared, votes;
    # live: messages; the audit log; team invitations: addresses, invitations; the console:
    # messages sent, messages received
    with django_assert_num_queries(16):
        user_data_export(user=attendee)


def test_deleting_my_account_erases_registrations_and_frees_my_place(
    attendee, soon_event, workshop
):
    mine = register(attendee, soon_event, access_needs="Captions")
    services.booking_create(registration=mine, session=workshop)
    services.star_add(user=attendee, session=workshop)
    services.calendar_link_get_or_create(user=attendee)
    others = [register(UserFactory(), soon_event) for _ in range(2)]
    bookings = [services.booking_create(registration=r, session=workshop) for r in others]
    assert [b.state for b in bookings] == ["booked", "waiting"]

    client_for(attendee).post(reverse("accounts:delete"), {"confirm": "delete my account"})

    assert not Registration.objects.filter(pk=mine.pk).exists()
    assert not Registration.objects.filter(access_needs="Captions").exists()
    assert not Star.objects.filter(user=attendee).exists()
    assert not CalendarLink.objects.filter(user=attendee).exists()
    assert Booking.objects.get(pk=bookings[1].pk).state == Booking.State.BOOKED
