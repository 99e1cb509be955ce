"""Reads of the principles lens."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from convene.spread.models import Principle


def principles_all() -> QuerySet[Principle]:
    return Principle.objects.order_by("number")


def principle_by_slug(slug: str) -> Principle:
    return get_object_or_404(Principle, slug=slug)


def principles_from_slugs(slugs: Iterable[str]) -> list[Principle]:
    """The principles named by these slugs, in the lens's order.

    Raises ValidationError naming every slug that is not a principle, so a
    caller (form, API) can refuse the whole input and store nothing.
    """
    wanted = list(dict.fromkeys(slugs))
    found = {p.slug: p for p in Principle.objects.filter(slug__in=wanted)}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise ValidationError(
            "Unknown principle: %(slugs)s. Choose from: %(known)s.",
            code="unknown_principle",
            params={
                "slugs": ", ".join(unknown),
                "known": ", ".join(principles_all().values_list("slug", flat=True)),
            },
        )
    return sorted(found.values(), key=lambda p: p.number)
