import pytest
from django.urls import reverse

from convene.events.models import Event
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_programme_lists_sessions_of_a_published_event(client, session):
    response = client.get(reverse("events:programme", kwargs={"event": session.event.slug}))

    assert response.status_code == 200
    assert [s.title for d in response.context["programme"].days for s in d.sessions] == [
        "Spreading improvement"
    ]


def test_draft_event_is_a_404_for_anonymous_and_outsider_but_visible_to_organiser(
    client, event, organiser, outsider
):
    event.status = Event.Status.DRAFT
    event.save()
    url = reverse("events:event", kwargs={"event": event.slug})

    assert client.get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(organiser).get(url).status_code == 200
