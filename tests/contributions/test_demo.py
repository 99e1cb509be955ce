"""The demo's example contributions (loaded with the demo events: a DEMO_DATA loader)."""

import pytest

from convene.contributions.models import Contribution
from convene.events.demo import demo_load

pytestmark = pytest.mark.django_db


def test_demo_adds_example_contributions_once(client):
    demo_load()
    demo_load()  # loading again replaces them

    examples = Contribution.objects.filter(is_example_data=True)
    answered = examples.get(answer_published_at__isnull=False)
    page = client.get(answered.session.get_absolute_url()).content.decode()

    assert examples.count() == 6
    assert set(examples.values_list("kind", flat=True)) == {"tip", "idea", "question"}
    assert all(c.public_author_name == "Anonymous" for c in examples)
    assert "Questions we didn't have time for" in page
    assert "Example data" in page
