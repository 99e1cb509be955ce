"""The programme's time zone <option>s, made once per process."""

from django.template import Context, Template

from convene.events.models import TIME_ZONE_CHOICES


def render(selected: str | None) -> str:
    tag = "{% zone_options %}" if selected is None else "{% zone_options zone %}"
    return Template("{% load time_zones %}" + tag).render(Context({"zone": selected}))


def test_every_zone_is_offered_once_and_none_is_selected_by_default():
    html = render(None)

    assert html.count("<option ") == len(TIME_ZONE_CHOICES)
    assert " selected" not in html
    assert '<option value="America/New_York">America/New York</option>' in html


def test_the_chosen_zone_alone_is_selected():
    html = render("Europe/London")

    assert html.count(" selected") == 1
    assert '<option value="Europe/London" selected>Europe/London</option>' in html


def test_an_unknown_choice_selects_nothing():
    assert " selected" not in render('"><script>alert(1)</script>')
