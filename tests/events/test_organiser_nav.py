"""The organiser area's side navigation comes from every app's hooks.py
(events.extensions.ORGANISER_NAV), not from names in the events template."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from convene.events import extensions
from convene.events.extensions import NavEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = Path(extensions.__file__).parent / "templates" / "events" / "orga" / "base.html"
NAV = re.compile(r'<nav aria-label="Organiser area">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def _nav(client, url: str) -> list[tuple[str, bool, str]]:
    html = client.get(url).content.decode()
    return [
        (href, bool(current), label) for href, current, label in LINK.findall(NAV.search(html)[1])
    ]


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("events:orga_sessions", "Sessions"),
        ("attendance:orga_registrations", "Registrations"),
        ("attendance:orga_numbers", "Attendance"),
        ("live:event_settings", "Chat settings"),
        ("console:dashboard", "Dashboard"),
        ("console:messages", "Messages"),
    ],
)
def test_every_apps_organiser_pages_are_listed_and_the_open_one_is_marked(
    organiser, event, url_name, current
):
    nav = _nav(client_for(organiser), reverse(url_name, kwargs={"event": event.slug}))

    assert [label for _, _, label in nav] == [
        "Dashboard", "Event settings", "Programme grid", "Sessions", "Tracks",
        "Schedule problems", "Import a schedule", "Exports", "Team and roles", "Registrations",
        "Attendance", "Messages", "Chat settings", "Activity log",
    ]  # fmt: skip
    assert [label for _, is_current, label in nav if is_current] == [current]
    assert {label: href for href, _, label in nav}["Chat settings"] == (f"/orga/{event.slug}/chat/")


def test_an_entry_a_new_app_registers_appears_in_its_order(organiser, event):
    entry = NavEntry("awards", "Awards", "events:orga_tracks", order=35)

    with extensions.ORGANISER_NAV.added(entry):
        nav = _nav(client_for(organiser), reverse("events:orga_grid", kwargs={"event": event.slug}))

    labels = [label for _, _, label in nav]
    assert labels.index("Awards") == labels.index("Tracks") + 1
    assert (f"/orga/{event.slug}/tracks/", False, "Awards") in nav


def test_the_organiser_template_names_no_other_apps_urls():
    assert set(re.findall(r"\{% url '(\w+):", BASE.read_text())) == {"events"}
