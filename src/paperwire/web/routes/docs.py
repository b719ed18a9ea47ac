"""``/docs``: the API reference, rendered on the server from the app's OpenAPI document.

FastAPI's stock page loads its scripts from a CDN and runs inline code,
which this site's Content-Security-Policy forbids; this page needs neither.
The machine-readable document stays at ``/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.web.render.templates import render

__all__ = ["Endpoint", "endpoints", "router"]

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)


def endpoints(openapi: dict[str, Any]) -> list[Endpoint]:
    found = []
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            params = [_parameter(p) for p in operation.get("parameters", [])]
            found.append(
                Endpoint(
                    method.upper(),
                    path,
                    operation.get("summary", ""),
                    " ".join(operation.get("description", "").split()),
                    params,
                )
            )
    return found


def _parameter(raw: dict[str, Any]) -> Parameter:
    schema = raw.get("schema", {})
    options = schema.get("anyOf", [schema])
    kinds = []
    for option in options:
        if "enum" in option:
            kinds.append(" | ".join(str(v) for v in option["enum"]))
        elif option.get("type") and option.get("type") != "null":
            bounds = [f"{k[:3]} {option[k]}" for k in ("minimum", "maximum") if k in option]
            kinds.append(option["type"] + (f" ({', '.join(bounds)})" if bounds else ""))
    default = schema.get("default")
    description = raw.get("description", "") + (
        f" Default: {default}." if default is not None else ""
    )
    return Parameter(
        raw["name"],
        raw.get("in", "query"),
        bool(raw.get("required")),
        ", ".join(kinds),
        description.strip(),
    )


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    return render(request, "docs.html", endpoints=endpoints(request.app.openapi()))
