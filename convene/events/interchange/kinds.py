"""Which session kind a schedule file's session type ("Talk", "Workshop") becomes.

pretalx and frab let each conference name its own types; Convene has a fixed
set of kinds (`Session.Kind`). An import maps every type name in the file to a
kind: `default_kind_map` proposes one, the organiser may change it before
applying (`schedule_import(kind_map=…)`). The type name itself is kept on the
session (`Session.type_name`) so exports give the file's name back.
"""

from collections.abc import Iterable

from convene.events.models import Session

Kind = Session.Kind

# Our own names for our kinds: a value, its label or the value with spaces
# ("open_conversation", "Open Conversation", "open conversation").
KIND_BY_NAME = {
    name.casefold(): value
    for value, label in Kind.choices
    for name in (value, label, value.replace("_", " "))
}

# Words in other tools' type names, first match wins. A talk, lecture or keynote
# is given to the whole audience at once: our plenary.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("award", Kind.AWARD_SHOWCASE),
    ("showcase", Kind.AWARD_SHOWCASE),
    ("tweet", Kind.TWEET_CHAT),
    ("twitter", Kind.TWEET_CHAT),
    ("workshop", Kind.WORKSHOP),
    ("tutorial", Kind.WORKSHOP),
    ("hands-on", Kind.WORKSHOP),
    ("break", Kind.BREAK),
    ("lunch", Kind.BREAK),
    ("coffee", Kind.BREAK),
    ("conversation", Kind.OPEN_CONVERSATION),
    ("discussion", Kind.OPEN_CONVERSATION),
    ("keynote", Kind.PLENARY),
    ("plenary", Kind.PLENARY),
    ("lecture", Kind.PLENARY),
    ("talk", Kind.PLENARY),
    ("presentation", Kind.PLENARY),
)


def kind_for_type(type_name: str) -> str:
    """The kind a type name suggests; open conversation when nothing does."""
    folded = type_name.strip().casefold()
    if folded in KIND_BY_NAME:
        return KIND_BY_NAME[folded]
    for word, kind in _KEYWORDS:
        if word in folded:
            return kind
    return Kind.OPEN_CONVERSATION


def default_kind_map(type_names: Iterable[str]) -> dict[str, str]:
    """Each type name → the kind `kind_for_type` gives it, in the order given.

    Pure: reads nothing. For the sample pretalx event: {"Talk": "plenary",
    "Workshop": "workshop"}.
    """
    return {name: kind_for_type(name) for name in type_names}


def is_kind_name(type_name: str, kind: str) -> bool:
    """Whether `type_name` is just one of our own names for `kind` (nothing to keep)."""
    return KIND_BY_NAME.get(type_name.strip().casefold()) == kind
