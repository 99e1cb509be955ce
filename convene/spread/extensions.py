"""What other apps list on a principle's page, without spread importing them.

Contributions (and later resources and award entries) are tagged with
principles, and each principle's page lists everything tagged with it across
events. Spread must not import those apps (they import spread), so each one
registers a `PrincipleExtension` in `PRINCIPLE_SECTIONS` from its `hooks.py`
(the one extension convention, core/hooks.py):

    from convene.spread.extensions import PRINCIPLE_SECTIONS
    PRINCIPLE_SECTIONS.register(ContributionsLens())

`principle_section(request, principle)` returns safe HTML (render a template)
or "" when the app has nothing to show; the page shows them in registration
order. Each app paginates its own section and shows only what the visitor may
see (nothing hidden by moderators, nothing from unpublished programmes).

A principle's page is cached whole for anonymous visitors (core.public_cache):
`public_version(request, principle)` returns the `Freshness` of a section (the
site-scope stamps of what it lists, core.stamps); the default, None, means
"cannot say", and the page is then not cached.
"""

from django.http import HttpRequest

from convene.core.hooks import Hook
from convene.core.public_cache import Freshness
from convene.spread.models import Principle


class PrincipleExtension:
    name = "extension"

    def principle_section(self, request: HttpRequest, principle: Principle) -> str:
        return ""

    def public_version(self, request: HttpRequest, principle: Principle) -> Freshness | None:
        return None


PRINCIPLE_SECTIONS: Hook[PrincipleExtension] = Hook("spread.principle_sections", key=type)


def principle_sections(request: HttpRequest, principle: Principle) -> list[str]:
    return [
        html for e in PRINCIPLE_SECTIONS.all() if (html := e.principle_section(request, principle))
    ]


def public_version(request: HttpRequest, principle: Principle) -> Freshness | None:
    """What every section of the principle's page depends on (None: not cacheable)."""
    combined = Freshness()
    for extension in PRINCIPLE_SECTIONS.all():
        part = extension.public_version(request, principle)
        if part is None:
            return None
        combined |= part
    return combined
