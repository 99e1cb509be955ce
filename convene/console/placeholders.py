"""Placeholders in a message to a group: `{name}` in the text becomes each person's name.

The syntax is Python's str.format without its power: a name in braces, nothing
else (no attributes, indexes or format specs, which would let a message read
other values). Two braces are one brace in the email (`{{` gives `{`). Anything
else with a brace is a mistake the organiser must hear about before sending,
naming it: an unknown placeholder, one the chosen group cannot fill, a brace on
its own.

Every message has the placeholders in `COMMON`; a group adds its own
(`RecipientGroup.placeholders`: attendance's `{join_link}` ...).
"""

import re
from collections.abc import Iterable, Mapping

from convene.console.extensions import RecipientGroup

COMMON = {
    "name": "the person's name (“there” when we do not have one)",
    "event": "the event's title",
    "event_link": "the address of the event's page",
}
NAME_FALLBACK = "there"

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_NAME = re.compile(r"[a-z_]+")
_MAX_PROBLEMS = 5


def allowed(group: RecipientGroup | None) -> dict[str, str]:
    """The placeholders a message to `group` may use, with what each becomes."""
    return {**COMMON, **(dict(group.placeholders) if group else {})}


def every_placeholder(groups: Iterable[RecipientGroup]) -> list[tuple[str, str, list[str]]]:
    """(name, what it becomes, labels of the groups that have it; [] for all), for the
    list next to the compose form. Groups that fill a placeholder differently each say how."""
    rows: dict[str, tuple[list[str], list[str]]] = {n: ([d], []) for n, d in COMMON.items()}
    for group in groups:
        for name, description in group.placeholders.items():
            descriptions, labels = rows.setdefault(name, ([], []))
            if description not in descriptions:
                descriptions.append(description)
            labels.append(group.label)
    return [(name, "; ".join(texts), labels) for name, (texts, labels) in rows.items()]


def _around(text: str, start: int, end: int, width: int = 15) -> str:
    """The text around a stray brace, on one line, to say where it is."""
    before = ("…" if start > width else "") + text[max(0, start - width) : start]
    after = text[end : end + width] + ("…" if end + width < len(text) else "")
    return " ".join(f"{before}{text[start:end]}{after}".split())


def problems(
    text: str, group: RecipientGroup | None, groups: Iterable[RecipientGroup]
) -> list[str]:
    """What is wrong with the placeholders of `text` for a message to `group`, each a
    sentence naming the placeholder or brace ([] when nothing is)."""
    usable = allowed(group)
    others: dict[str, list[str]] = {}
    for other in groups:
        for name in other.placeholders:
            others.setdefault(name, []).append(other.label)
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        brace = match.group(0)
        if brace in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            context = _around(text, match.start(), match.end())
            opposite = "}" if brace == "{" else "{"
            sentence = (
                f"There is a “{brace}” without its “{opposite}” in “{context}”. Placeholders are "
                f"written like {{name}}; to show a brace itself, type it twice: {brace}{brace}."
            )
        elif not _NAME.fullmatch(name) or (name not in usable and name not in others):
            sentence = (
                f"“{{{name}}}” is not a placeholder. Use one of "
                + ", ".join(f"{{{n}}}" for n in usable)
                + "."
            )
        elif name not in usable:
            sentence = (
                f"“{{{name}}}” cannot be filled for this group: it is only for messages to "
                + " or ".join(others[name])
                + "."
            )
        else:
            continue
        if sentence not in found:
            found.append(sentence)
        if len(found) == _MAX_PROBLEMS:
            break
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each placeholder replaced by its value (checked text only: a name
    without a value becomes "")."""

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is None:
            return token
        return values.get(name, "")

    return _TOKEN.sub(replace, text)
