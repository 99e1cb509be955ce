"""The time zones people are offered: canonical names, grouped by region.

Python's `available_timezones()` has about 600 names, many of them
deprecated aliases (`Asia/Calcutta`, `W-SU`, `localtime`) that no one should
pick from a list. The IANA database's `zone.tab` lists the current name of
every zone in use, one or more per country; that list (and UTC) is what we
offer. Aliases are still understood where people type or send a name (a
browser may report `Asia/Calcutta`): `canonical()` turns them into the name
the list uses, following the database's links.

Both files ship in the `tzdata` package (pinned in requirements.lock), so
the list is the same on every machine and nothing is read from the system.
"""

import functools
from importlib import resources
from zoneinfo import available_timezones

UTC = "UTC"


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@functools.cache
def canonical_zones() -> frozenset[str]:
    """Every zone offered in lists: zone.tab's names, and UTC."""
    names = {UTC}
    for line in _tzdata_text("zone.tab").splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("\t")[2])
    return frozenset(names)


@functools.cache
def _links() -> dict[str, str]:
    """alias -> target, from the database's `L target alias` lines."""
    links = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return links


@functools.cache
def _valid() -> frozenset[str]:
    return frozenset(available_timezones())


def canonical(name: str) -> str | None:
    """The offered name for `name` (itself, or where its alias leads); None if unknown."""
    if name in canonical_zones():
        return name
    if name not in _valid():
        return None
    seen = {name}
    while name in _links() and name not in canonical_zones():
        name = _links()[name]
        if name in seen:  # a cycle would be a broken database; refuse it
            return None
        seen.add(name)
    if name in canonical_zones():
        return name
    # Fixed offsets and the like (Etc/GMT+12) are real zones, just not listed.
    return name if name in _valid() else None


def label(name: str) -> str:
    """`America/Argentina/Buenos_Aires` -> `Argentina/Buenos Aires`: what a reader looks for."""
    if name == UTC:
        return "UTC (Coordinated Universal Time)"
    return name.partition("/")[2].replace("_", " ") or name


@functools.cache
def grouped_zones() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """((region, ((value, label), ...)), ...) sorted by region then label; UTC first."""
    regions: dict[str, list[tuple[str, str]]] = {}
    for name in canonical_zones() - {UTC}:
        regions.setdefault(name.partition("/")[0], []).append((name, label(name)))
    return (
        ("Universal", ((UTC, label(UTC)),)),
        *(
            (region, tuple(sorted(zones, key=lambda zone: zone[1])))
            for region, zones in sorted(regions.items())
        ),
    )


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a Django ChoiceField (rendered as <optgroup>s)."""
    return [(region, list(zones)) for region, zones in grouped_zones()]
