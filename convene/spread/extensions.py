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
"""

from django.http import HttpRequest

from convene.core.hooks import Hook
from convene.spread.models import Principle


class PrincipleExtension:
    name = "extension"

    def principle_section(self, request: HttpRequest, principle: Principle) -> str:
        return ""


PRINCIPLE_SECTIONS: Hook[PrincipleExtension] = Hook("spread.principle_sections", key=type)


def principle_sections(request: HttpRequest, principle: Principle) -> list[str]:
    return [
        html for e in PRINCIPLE_SECTIONS.all() if (html := e.principle_section(request, principle))
    ]
