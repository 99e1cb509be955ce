"""The README's list of organiser pages is the organiser navigation: nothing more, nothing less."""

import re
from pathlib import Path

from django.urls import reverse

from tests.conftest import client_for

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_pages() -> set[str]:
    text = " ".join(README.read_text(encoding="utf-8").split()).replace(" (with their hosts)", "")
    listed = re.search(r"\(`/orga/<event>/`: ([^)]*)\)", text).group(1)
    return {item.strip().lower() for item in listed.split(",")}


def test_readme_names_every_organiser_page_and_no_other(organiser, event):
    html = client_for(organiser).get(reverse("events:orga_grid", kwargs={"event": event.slug}))

    nav = html.content.decode().split('aria-label="Organiser area"')[1].split("</nav>")[0]
    labels = {label.strip().lower() for label in re.findall(r">([^<>]+)</a>", nav)}
    assert labels == _readme_pages()
