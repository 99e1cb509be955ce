"""Every page leads to the principles and the API reference; near misses of the API's
address lead to its reference."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("path", ["/api/", "/api/docs/"])
def test_near_misses_of_the_api_reference_redirect_to_it(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/api/docs"
    assert client.get(response["Location"]).status_code == 200


def test_every_page_links_the_principles_and_the_api_reference(client, db):
    html = client.get(reverse("events:home")).content.decode()

    header, footer = html.split("</header>")[0], html.split('<footer class="nhsuk-footer"')[1]
    assert '<a class="nhsuk-header__navigation-link" href="/principles/">Principles</a>' in header
    assert 'href="/principles/">Principles for spread and adoption</a>' in footer
    assert 'href="/api/docs">API for developers</a>' in footer
