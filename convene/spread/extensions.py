"""What other apps list on a principle's page, without spread importing them.

Contributions (and later resources and award entries) are tagged with
principles, and each principle's page lists everything tagged with it across
events. Spread must not import those apps (they import spread), so each one
registers a `PrincipleExtension` in its AppConfig.ready():

    from convene.spread import extensions
    extensions.register(ContributionsLens())

`principle_section(request, principle)` returns safe HTML (render a template)
or "" when the app has nothing to show; the page shows them in registration
order. Each app paginates its own section and shows only what the visitor may
see (nothing hidden by moderators, nothing from unpublished programmes).
"""

from django.http import HttpRequest

from convene.spread.models import Principle


class PrincipleExtension:
    name = "extension"

    def principle_section(self, request: HttpRequest, principle: Principle) -> str:
        return ""


_registry: list[PrincipleExtension] = []


def register(extension: PrincipleExtension) -> None:
    """Add an extension (once: registering the same class again replaces it)."""
    _registry[:] = [e for e in _registry if type(e) is not type(extension)]
    _registry.append(extension)


def principle_sections(request: HttpRequest, principle: Principle) -> list[str]:
    return [html for e in _registry if (html := e.principle_section(request, principle))]
