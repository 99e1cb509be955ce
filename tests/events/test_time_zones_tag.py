"""The programme's time zone list: canonical zones by region, made once per process."""

import re

from django.template import Context, Template

from convene.core import timezones


def render(selected: str | None) -> str:
    tag = "{% zone_options %}" if selected is None else "{% zone_options zone %}"
    return Template("{% load time_zones %}" + tag).render(Context({"zone": selected}))


def test_every_canonical_zone_is_offered_once_and_none_is_selected_by_default():
    html = render(None)

    values = re.findall(r'<option value="([^"]+)"', html)
    assert sorted(values) == sorted(timezones.canonical_zones())
    assert " selected" not in html
    assert '<option value="America/New_York">New York</option>' in html


def test_deprecated_aliases_are_not_offered():
    html = render(None)

    for alias in ("Asia/Calcutta", "W-SU", "localtime", "Europe/Kiev", "GB", "US/Eastern"):
        assert f'value="{alias}"' not in html
    assert 'value="Asia/Kolkata"' in html
    assert 'value="Europe/Kyiv"' in html


def test_zones_are_grouped_by_region_with_utc_first():
    html = render(None)

    regions = re.findall(r'<optgroup label="([^"]+)">', html)
    assert regions[0] == "Universal"
    assert regions[1:] == sorted(regions[1:])
    assert {"Africa", "America", "Asia", "Europe", "Pacific"} <= set(regions)
    europe = html.split('<optgroup label="Europe">')[1].split("</optgroup>")[0]
    assert '<option value="Europe/London">London</option>' in europe
    assert "Asia/" not in europe


def test_the_chosen_zone_alone_is_selected():
    html = render("Europe/London")

    assert html.count(" selected") == 1
    assert '<option value="Europe/London" selected>London</option>' in html


def test_an_alias_selects_the_zone_it_stands_for():
    html = render("Asia/Calcutta")

    assert html.count(" selected") == 1
    assert '<option value="Asia/Kolkata" selected>Kolkata</option>' in html


def test_a_chosen_fixed_offset_is_shown_first_and_selected():
    html = render("Etc/GMT+12")

    assert html.startswith('<option value="Etc/GMT+12" selected>Etc/GMT+12</option>')
    assert html.count(" selected") == 1


def test_an_unknown_choice_selects_nothing():
    assert " selected" not in render('"><script>alert(1)</script>')


def test_canonical_follows_links_and_refuses_unknown_names():
    assert timezones.canonical("Asia/Calcutta") == "Asia/Kolkata"
    assert timezones.canonical("W-SU") == "Europe/Moscow"
    assert timezones.canonical("Europe/Amsterdam") == "Europe/Amsterdam"
    assert timezones.canonical("UTC") == "UTC"
    assert timezones.canonical("Mars/Olympus_Mons") is None
    assert timezones.canonical("") is None
