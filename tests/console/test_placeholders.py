"""Placeholders in a message (console/placeholders.py): what is filled, and every mistake
named before anything is sent."""

import pytest

from convene.console import placeholders
from convene.console.extensions import RECIPIENT_GROUPS, recipient_group

GROUPS = RECIPIENT_GROUPS.all()


def _problems(text: str, group: str) -> list[str]:
    return placeholders.problems(text, recipient_group(group), GROUPS)


def test_fill_replaces_each_placeholder_and_keeps_doubled_braces_as_one():
    text = "Hello {name}, see {event_link} {{not a placeholder}}"

    filled = placeholders.fill(text, {"name": "Ade", "event_link": "https://x.test/e/"})

    assert filled == "Hello Ade, see https://x.test/e/ {not a placeholder}"


def test_a_message_with_known_placeholders_has_no_problems():
    assert _problems("Hello {name}: {join_link} ({session}) {{ok}}", "session_registrants") == []
    assert _problems("{name} {event} {event_link}", "team") == []


def test_an_unknown_placeholder_is_named_with_what_can_be_used():
    [problem] = _problems("Hello {first_name}", "registrants")

    assert problem.startswith("“{first_name}” is not a placeholder.")
    assert "{name}, {event}, {event_link}" in problem


@pytest.mark.parametrize("text", ["{name.__class__}", "{name!r}", "{0}", "{name:>10}", "{ name }"])
def test_attribute_index_and_format_tricks_are_not_placeholders(text):
    [problem] = _problems(text, "registrants")

    assert "is not a placeholder" in problem


def test_a_placeholder_of_another_group_says_which_groups_have_it():
    [problem] = _problems("Join here: {join_link}", "team")

    assert problem == (
        "“{join_link}” cannot be filled for this group: it is only for messages to "
        "People registered for chosen sessions (with a place or waiting)."
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Hello {name", "There is a “{” without its “}” in “Hello {name”."),
        ("Costs 5} pounds", "There is a “}” without its “{” in “Costs 5} pounds”."),
        ("Line {na\nme} two", "There is a “{” without its “}” in “Line {na me} two”."),
    ],
)
def test_a_stray_brace_is_named_where_it_is(text, named):
    problems = _problems(text, "registrants")

    assert problems[0].startswith(named)
    assert "type it twice" in problems[0]


def test_each_problem_is_said_once():
    assert len(_problems("{x} {x} {x}", "registrants")) == 1


def test_the_compose_list_names_each_placeholder_and_the_groups_it_is_for():
    listed = placeholders.every_placeholder(GROUPS)
    rows = {name: labels for name, _, labels in listed}
    descriptions = {name: text for name, text, _ in listed}

    assert rows["name"] == rows["event"] == rows["event_link"] == []
    assert rows["join_link"] == ["People registered for chosen sessions (with a place or waiting)"]
    assert rows["session"] == [
        "People registered for chosen sessions (with a place or waiting)",
        "Waiting lists of chosen sessions",
        "Hosts of every session",
        "Hosts of chosen sessions",
    ]
    assert descriptions["session"] == (
        "the titles of the chosen sessions the person is in; the titles of the sessions they host"
    )
