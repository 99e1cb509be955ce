"""Stamps: tokens that change whenever what a cached public answer shows changes.

A page cached for anonymous visitors (core.public_cache, core.response_cache)
records the stamps it was built from; it is served again only while every one
of them still has the same value. Apps bump the stamps of what they change, in
the same transaction as the change (their signals do, so Django admin edits and
imports run by task workers count too): the database is the one place every
process reads, so a change made anywhere is seen by the very next request
everywhere (docs/decisions/0022).

Scopes: "site" (across events: "events", "principles", "contributions",
"votes") and "event:<slug>" (one event: "programme", "contributions", "votes").
A scope is read whole, in one query, before a page reads its data.
"""

import secrets
from collections.abc import Iterable

from convene.core.models import Stamp

SITE = "site"

type StampKey = tuple[str, str]


def event_scope(slug: str) -> str:
    return f"event:{slug}"


def event_scopes(event: str, **kwargs: object) -> Iterable[str]:
    """The stamp scopes of a page of one event (the view's `event` slug): for
    `core.public_cache.public_cache(...)`, in every app."""
    return (event_scope(event), SITE)


def site_scopes(**kwargs: object) -> Iterable[str]:
    """The stamp scope of a site-wide page (the home page, the principles)."""
    return (SITE,)


def bump(scope: str, *names: str) -> None:
    """Give each named stamp of `scope` a new value (an upsert: one query).

    Side effects: one row per name in core_stamp written (created if missing),
    in the caller's transaction.
    """
    Stamp.objects.bulk_create(
        [Stamp(scope=scope, name=name, value=secrets.randbits(62)) for name in names],
        update_conflicts=True,
        unique_fields=["scope", "name"],
        update_fields=["value"],
    )


def read(scopes: Iterable[str]) -> dict[StampKey, int]:
    """The current value of every stamp in these scopes (missing stamps are absent)."""
    return {
        (scope, name): value
        for scope, name, value in Stamp.objects.filter(scope__in=list(scopes)).values_list(
            "scope", "name", "value"
        )
    }
