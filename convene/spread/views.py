"""The principles lens: the list, one page per principle (everything tagged with
it across events, through spread.extensions), and the organisers' edit page.

Each view names its rule (spread/rules.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from convene.core import stamps
from convene.core.breadcrumbs import crumbs
from convene.core.permissions import rule_required
from convene.core.public_cache import Freshness, depend, public_cache
from convene.spread import extensions, selectors, services
from convene.spread.forms import PrincipleForm
from convene.spread.models import Principle


def _principle_for(request: HttpRequest, principle: str) -> Principle:
    return selectors.principle_by_slug(principle)  # every principle is public


def _trail(principle: Principle | None = None) -> list[tuple[str, str]]:
    """Events > Principles for spread and adoption > the principle."""
    more = [("Principles for spread and adoption", reverse("spread:principles"))]
    if principle is not None:
        more.append((principle.name, principle.get_absolute_url()))
    return crumbs(more=more)


_PRINCIPLES = Freshness(stamps=((stamps.SITE, "principles"),))


@require_safe
@public_cache(stamps.site_scopes)
def principles(request: HttpRequest) -> HttpResponse:
    """Rule: spread.view_principle (anyone)."""
    depend(request, _PRINCIPLES)
    return render(
        request,
        "spread/principles.html",
        {
            "principles": list(selectors.principles_all()),
            "can_edit": request.user.has_perm("spread.change_principle"),
            "crumbs": crumbs(),
        },
    )


@require_safe
@public_cache(stamps.site_scopes)
def principle(request: HttpRequest, principle: str) -> HttpResponse:
    """Rule: spread.view_principle (anyone); each section applies its own rules."""
    depend(request, _PRINCIPLES)
    principle_obj = selectors.principle_by_slug(principle)
    depend(request, extensions.public_version(request, principle_obj))
    sections = extensions.principle_sections(request, principle_obj)
    return render(
        request,
        "spread/principle.html",
        {
            "principle": principle_obj,
            # Each section is HTML its app rendered from its own (autoescaped) template.
            "sections": [mark_safe(html) for html in sections],  # noqa: S308
            "can_edit": request.user.has_perm("spread.change_principle"),
            "crumbs": _trail(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required("spread.change_principle", load=_principle_for)
def principle_edit(request: HttpRequest, principle_obj: Principle) -> HttpResponse:
    """Rule: spread.change_principle (organisers of any event, superusers)."""
    title = principle_obj.name  # the form writes its input onto the instance
    form = PrincipleForm(request.POST or None, instance=principle_obj)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.principle_update(principle=principle_obj, by=request.user, **fields)
        messages.success(request, f"“{principle_obj.name}” is saved.")
        return redirect(principle_obj)
    return render(
        request,
        "spread/principle_edit.html",
        {"title": title, "form": form, "crumbs": _trail(principle_obj)},
    )
