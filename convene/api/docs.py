"""The API's reference page, /api/docs: rendered here from the OpenAPI schema.

Why not Swagger UI: django-ninja ships it (no CDN needed, and it runs under
our CSP), but axe finds serious WCAG problems in it that no stylesheet can
fix (buttons nested in buttons, contrast, target sizes), and every page must
pass (docs/architecture.md, "New apps"). This page is plain server-rendered HTML in NHS.UK markup;
/api/openapi.json is the machine-readable schema for tools such as Swagger
Editor or Postman. Decision: docs/decisions/0007-contributions.md.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

from convene.core.breadcrumbs import crumbs
from convene.core.text import render_markdown

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str = ""


@dataclass
class OperationDoc:
    method: str
    path: str
    summary: str
    anchor: str
    needs_sign_in: bool
    parameters: list[FieldDoc] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str, str]] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict) -> str:
    """A short English description of a JSON schema's type."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        kinds = [type_of(s) for s in schema["anyOf"] if s.get("type") != "null"]
        optional = any(s.get("type") == "null" for s in schema["anyOf"])
        return " or ".join(kinds) + (" or null" if optional else "")
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if kind == "string" and schema.get("format") == "date-time":
        return "date and time (ISO 8601)"
    limits = []
    if "minimum" in schema:
        limits.append(f"at least {schema['minimum']}")
    if "maximum" in schema:
        limits.append(f"at most {schema['maximum']}")
    return kind + (f" ({', '.join(limits)})" if limits else "")


def _describe(schema: dict, description: str = "") -> str:
    text = description or schema.get("description", "")
    if "default" in schema and schema["default"] not in ("", None):
        text = f"{text} Default: {schema['default']}.".strip()
    return text


def fields_of(schema: dict) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    return [
        FieldDoc(name, type_of(prop), name in required, _describe(prop))
        for name, prop in schema.get("properties", {}).items()
    ]


def operations_of(schema: dict) -> list[tuple[str, list[OperationDoc]]]:
    """The schema's operations grouped by tag, in the schema's order."""
    groups: dict[str, list[OperationDoc]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            doc = OperationDoc(
                method=method.upper(),
                path=path,
                summary=operation.get("summary", ""),
                anchor=operation.get("operationId", f"{method}-{path}"),
                needs_sign_in=bool(operation.get("security")),
                parameters=[
                    FieldDoc(
                        f"{p['name']} ({p['in']})",
                        type_of(p.get("schema", {})),
                        p.get("required", False),
                        _describe(p.get("schema", {}), p.get("description", "")),
                    )
                    for p in operation.get("parameters", [])
                ],
                body=type_of(body["schema"]) if body else "",
                responses=[
                    (
                        code,
                        response.get("description", ""),
                        type_of(_response_schema(response)),
                    )
                    for code, response in sorted(operation.get("responses", {}).items())
                ],
            )
            for tag in operation.get("tags", ["Other"]):
                groups.setdefault(tag, []).append(doc)
    return list(groups.items())


def _response_schema(response: dict) -> dict:
    """A response's JSON schema: `application/json`, or problem details for refusals."""
    content = response.get("content", {})
    body = content.get("application/json") or content.get("application/problem+json") or {}
    return body.get("schema", {"type": ""})


class ReferenceDocs(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        components = schema.get("components", {}).get("schemas", {})
        return render(
            request,
            self.template,
            {
                "info": schema["info"],
                "description": render_markdown(schema["info"].get("description", "")),
                "groups": operations_of(schema),
                "shapes": [(name, fields_of(s)) for name, s in components.items()],
                "openapi_url": self.get_openapi_url(api, kwargs),
                "crumbs": crumbs(),
            },
        )
