"""Errors as people and programs should see them: a page for browsers, one JSON shape
for the API, never a stack trace.

The API's error shape, the same for every 4xx and 5xx under ``/api/``:

    {"error": "limit must be between 1 and 100", "status": 400, "where": "limit"}

``error`` is a sentence saying what is wrong; ``where`` names the parameter
at fault (null when none is). The ``error`` key is what Hugging Face's own API
and its clients use.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from paperwire.search.query import QueryError
from paperwire.web.render.page_helpers import BadParameter
from paperwire.web.render.templates import render
from paperwire.web.security.csrf import CsrfFailed
from paperwire.web.security.sessions import LoginRequired

__all__ = ["error_response", "install_error_handlers", "json_error"]


def json_error(status: int, message: str, where: str | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status, "where": where}, status_code=status)


def error_response(
    request: Request, status: int, message: str, where: str | None = None
) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return json_error(status, message, where)
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return render(
        request, "error.html", status=status, status_code=status, title=title, message=message
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BadParameter, _bad_parameter)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    # Anything else is answered by SecurityHeadersMiddleware: a plain 500, headers included.


async def _bad_parameter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadParameter)
    return error_response(request, 400, exc.message, exc.where)


async def _query_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc), "q")


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return error_response(request, 403, str(exc), "csrf_token")


async def _login_required(request: Request, exc: Exception) -> Response:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    # Quoted whole, so the way back keeps its own query ("&" and all).
    return RedirectResponse(f"/login?next={quote(path, safe='')}", status_code=303)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
    message = str(first.get("msg", "invalid request"))
    return error_response(request, 400, f"{where}: {message}" if where else message, where)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {
        404: "There is nothing at this address.",
        405: "This address does not accept that method.",
    }
    detail = exc.detail if isinstance(exc.detail, str) else None
    generic = HTTPStatus(exc.status_code).phrase
    message = detail if detail and detail != generic else messages.get(exc.status_code, generic)
    response = error_response(request, exc.status_code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response
