"""No page of the demo site answers a 500 to odd query strings.

Every page the browser suite visits (tests/browser/pages.py), as the person it is
meant for, with each odd value in every parameter the site reads. Filters and
paging must fall back or re-render with an error, never fail.
"""

from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from convene.accounts.models import User
from convene.events.demo import demo_load
from tests.browser.pages import PAGES, resolve_path
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAMETERS = ["page", "kind", "tz", "before", "after", "ids", "sort", "principle", "q", "next"]
ODD_VALUES = ["²", "١٢", "9" * 40, "-1", "", "%00", "\u0000", "x" * 5000, "<script>", "1,2,,x"]


@pytest.fixture
def people():
    demo_load(organiser_password="demo-organiser-pw")
    member = UserFactory(email="member@example.org", name="Mo Member")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    return {
        "": None,
        "member": member,
        "organiser": User.objects.get(email="organiser@example.org"),
    }


def test_odd_query_strings_never_give_a_server_error(people):
    failures = []
    for page in PAGES:
        client = client_for(people[page.as_user]) if page.as_user else Client()
        path = resolve_path(page.path)
        for value in ODD_VALUES:
            query = urlencode(dict.fromkeys(PARAMETERS, value))
            separator = "&" if "?" in path else "?"
            status = client.get(f"{path}{separator}{query}").status_code
            if status >= 500:
                failures.append(f"{page.id} {value[:12]!r}: {status}")

    assert not failures, "\n".join(failures)
