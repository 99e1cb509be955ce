"""The principles lens: seven principles as default data, editable by organisers,
a page per principle that other apps fill (spread.extensions)."""

import pytest
from django.urls import reverse

from convene.spread import extensions, selectors, services
from convene.spread.models import Principle
from tests.personas import LOGIN, client_for, outcome, sign_in_url

pytestmark = pytest.mark.django_db


def test_the_seven_principles_ship_as_data_with_the_sixth_unconfirmed():
    principles = list(Principle.objects.order_by("number"))

    assert [(p.number, p.slug, p.name, p.is_confirmed) for p in principles] == [
        (1, "complexity", "Complexity", True),
        (2, "leadership", "Leadership", True),
        (3, "individual", "The individual", True),
        (4, "benefit", "Benefit", True),
        (5, "networks", "Networks", True),
        (6, "innovation-development", "Innovation development", False),
        (7, "learning", "Learning", True),
    ]
    assert all(p.summary and p.source_list for p in principles)
    assert all(url.startswith("https://") for p in principles for url in p.source_list)
    assert principles[4].heading == (
        "Networks build communities, energising and connecting individuals"
    )


def test_principles_page_lists_them_and_marks_the_unconfirmed_one(client):
    html = client.get(reverse("spread:principles")).content.decode()

    assert html.count('class="nhsuk-card__link"') == 7
    assert '6. Innovation development</a> <strong class="nhsuk-tag nhsuk-tag--yellow">' in html


def test_principle_page_shows_summary_sources_and_warning(client):
    html = client.get(reverse("spread:principle", kwargs={"principle": "innovation-development"}))

    assert html.status_code == 200
    assert "Name not confirmed" in html.content.decode()
    assert "https://horizonsnhs.com/programmes-of-work/spread-and-innovation/" in (
        html.content.decode()
    )


def test_unknown_principle_page_is_404(client):
    assert client.get("/principles/no-such-principle/").status_code == 404


def test_principles_from_slugs_keeps_the_lens_order_and_names_unknown_ones():
    found = selectors.principles_from_slugs(["learning", "networks", "learning"])

    with pytest.raises(Exception, match="Unknown principle: nope, other") as refused:
        selectors.principles_from_slugs(["networks", "nope", "other"])

    assert [p.slug for p in found] == ["networks", "learning"]
    assert refused.value.code == "unknown_principle"


# --- Editing (spread.change_principle) --------------------------------------------


def _edit_url(slug="innovation-development"):
    return reverse("spread:principle_edit", kwargs={"principle": slug})


def _form(**changes):
    principle = Principle.objects.get(slug="innovation-development")
    data = {
        "name": principle.name,
        "heading": principle.heading,
        "summary": principle.summary,
        "sources": principle.sources,
    }
    return data | changes


def test_organiser_renames_a_principle_and_confirms_it(organiser):
    response = client_for(organiser).post(
        _edit_url(), _form(name="Adaptation", is_confirmed="on", heading="Adapt it locally")
    )

    principle = Principle.objects.get(slug="innovation-development")
    assert response.status_code == 302
    assert (principle.name, principle.heading, principle.is_confirmed) == (
        "Adaptation",
        "Adapt it locally",
        True,
    )
    assert principle.get_absolute_url() == "/principles/innovation-development/"


def test_bad_sources_are_refused_and_nothing_changes(organiser):
    response = client_for(organiser).post(
        _edit_url(), _form(name="Changed", sources="not a web address")
    )

    assert response.status_code == 200
    assert "Enter one web address a line" in response.content.decode()
    assert Principle.objects.get(slug="innovation-development").name == "Innovation development"


@pytest.mark.parametrize(
    "persona", ["host", "moderator", "speaker", "judge", "attendee", "outsider"]
)
def test_only_organisers_edit_principles(as_persona, persona):
    client = as_persona(persona)

    assert client.get(_edit_url()).status_code == 403
    assert client.post(_edit_url(), _form(name="Hacked")).status_code == 403
    assert Principle.objects.get(slug="innovation-development").name == "Innovation development"


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(_edit_url())

    assert outcome(response) == LOGIN
    assert response["Location"] == sign_in_url(_edit_url())


def test_superuser_edits_and_sees_the_edit_link(superuser):
    client = client_for(superuser)

    page = client.get(reverse("spread:principle", kwargs={"principle": "networks"}))

    assert _edit_url("networks") in page.content.decode()
    assert client.get(_edit_url("networks")).status_code == 200


def test_service_refuses_fields_that_are_not_wording(organiser):
    principle = Principle.objects.get(slug="networks")

    with pytest.raises(TypeError, match="slug"):
        services.principle_update(principle=principle, by=organiser, slug="other")


# --- The extension point ------------------------------------------------------------


class _Listing(extensions.PrincipleExtension):
    def principle_section(self, request, principle):
        return f"<h2>Tagged with {principle.slug}</h2>"


def test_registered_extension_fills_the_principle_page(client):
    # Registering the same class twice keeps one (the key is the class).
    with extensions.PRINCIPLE_SECTIONS.added(_Listing(), _Listing()):
        html = client.get("/principles/networks/").content.decode()

    assert html.count("<h2>Tagged with networks</h2>") == 1


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_principles_back():
    from django.core.management import call_command

    Principle.objects.filter(slug="networks").update(name="Networks, renamed")

    call_command("flush", interactive=False, verbosity=0)

    assert Principle.objects.count() == 7
    assert Principle.objects.get(slug="networks").name == "Networks"
