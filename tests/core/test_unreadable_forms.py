"""A multipart form without a valid boundary is a bad request, answered in one place
(core/middleware.py): Django's parser raised MultiPartParserError, a 500, wherever
the body was first read: the CSRF check of a signed-in person's 404 page, a view's
form. Found by schemathesis sending `Content-Type: multipart/form-data` alone."""

import pytest
from django.test import Client

from convene.contributions.models import Contribution
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/api/contributions/0/vote",  # no such address: the 404 page reads the form
    "/nothing-here/",
    "/events/big-conversation/top-tips/",
    "/accounts/login/",
    "/api/events/big-conversation/contributions",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_a_multipart_form_without_a_boundary_is_refused_not_a_500(
    organiser, session, path, content_type
):
    client = client_for(organiser)
    client.handler.enforce_csrf_checks = True

    response = client.generic("POST", path, b'{"text": "x"}', content_type=content_type)

    if path.startswith("/api/"):  # the API's answer to anything but JSON
        assert response.status_code == 415
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "unsupported_media_type"
    else:
        assert response.status_code == 400
        assert "The form could not be read" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_multipart_form_with_a_boundary_still_reaches_the_view(session):
    response = Client().post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    assert response.status_code == 200
    assert "The form could not be read" not in response.content.decode()
