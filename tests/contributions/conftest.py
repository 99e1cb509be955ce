"""Contribution fixtures, on top of the personas in tests/conftest.py.

- tip / question: shared by `attendee` on `session`'s board
Tasks run at once (after commit) unless a test says otherwise; email goes to
a real SMTP server (tests/smtp.py) where a test asks for `mail`.
"""

import pytest

from convene.contributions import services
from convene.contributions.models import Contribution
from convene.spread.models import Principle

Kind = Contribution.Kind


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_at_once):
    """Every contributions test runs its tasks at once (tests/conftest.py)."""


def principle(slug: str) -> Principle:
    return Principle.objects.get(slug=slug)


def share(user, session, text="Start small and share what you learn.", *, kind=Kind.TIP, **fields):
    return services.contribution_create(
        author=user, event=session.event, session=session, kind=kind, text=text, **fields
    )


@pytest.fixture
def tip(attendee, session):
    return share(attendee, session, principles=[principle("networks")])


@pytest.fixture
def question(attendee, session):
    return share(attendee, session, "How do we keep it going?", kind=Kind.QUESTION)
