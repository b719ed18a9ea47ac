"""What the JSON API answers, written down for its OpenAPI document.

Every route in ``routes.api`` passes ``responses=answers(...)``: the JSON Schema
of its 200 body (the shapes ``render.hf_shape`` builds) and the error statuses
it can give, each with the one error shape ``errors`` uses. ``install_openapi``
drops the 422 FastAPI documents on its own: this API answers a bad parameter
with 400 (see ``errors``), never 422. Plain JSON Schema dicts keep this
module free of any model library; the fuzzing tests hold the server to them.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

__all__ = [
    "COMMENT",
    "COMMENTS_PAGE",
    "DAILY_ITEMS",
    "ERROR",
    "NEW_COMMENT",
    "PAPER",
    "PAPERS_PAGE",
    "answers",
    "created",
    "install_openapi",
]

_STOCK_VALIDATION = ("HTTPValidationError", "ValidationError")

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_TIME = {
    "type": ["string", "null"],
    "description": "ISO 8601 in UTC, e.g. 2026-11-24T00:00:00.000Z",
}
_NAMED = {
    "type": "object",
    "required": ["name", "fullname"],
    "properties": {"name": _TEXT, "fullname": _TEXT},
}

ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error", "status", "where"],
    "properties": {
        "error": {"type": "string", "description": "What is wrong, as a sentence"},
        "status": {"type": "integer", "description": "The HTTP status again"},
        "where": {"type": ["string", "null"], "description": "The parameter at fault"},
    },
    "additionalProperties": False,
}

_LINKED: dict[str, Any] = {
    "type": "object",
    "required": ["id", "likes", "private", "repoType"],
    "properties": {
        "id": _TEXT,
        "author": _TEXT,
        "likes": {"type": "integer", "minimum": 0},
        "downloads": {"type": "integer", "minimum": 0},
        "private": {"type": "boolean"},
        "repoType": {"enum": ["model", "dataset", "space"]},
    },
}

PAPER: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "authors",
        "publishedAt",
        "submittedOnDailyAt",
        "title",
        "summary",
        "upvotes",
        "githubRepo",
        "githubStars",
        "projectPage",
        "ai_keywords",
        "ai_summary",
        "ai_summary_source",
        "categories",
        "primaryCategory",
        "dailyDates",
        "withdrawn",
        "deleted",
        "deletedAt",
    ],
    "properties": {
        "id": _TEXT,
        "authors": {
            "type": "array",
            "items": {"type": "object", "required": ["name"], "properties": {"name": _TEXT}},
        },
        "publishedAt": _TIME,
        "submittedOnDailyAt": {
            **_TIME,
            "description": "The day the paper was in the daily list asked for (in a week"
            " or month, the latest such day there; outside /api/daily_papers, the first"
            " day it was listed), ISO 8601 in UTC",
        },
        "title": _TEXT,
        "summary": _TEXT,
        "upvotes": {"type": "integer", "minimum": 0},
        "githubRepo": _MAYBE_TEXT,
        "githubStars": {"type": ["integer", "null"]},
        "projectPage": _MAYBE_TEXT,
        "ai_keywords": {"type": "array", "items": _TEXT},
        "ai_summary": _MAYBE_TEXT,
        "ai_summary_source": {
            "type": ["string", "null"],
            "enum": ["huggingface", "paperwire", None],
            "description": "Whose ai_summary: Hugging Face's model, or paperwire's own"
            " (a sentence of the abstract)",
        },
        "categories": {"type": "array", "items": _TEXT},
        "primaryCategory": _MAYBE_TEXT,
        "dailyDates": {
            "type": "array",
            "items": {"type": "string", "format": "date"},
            "description": "Every day the paper was in the daily list, oldest first"
            " (each one a `date` of /api/daily_papers)",
        },
        "withdrawn": {
            "type": "boolean",
            "description": "The latest arXiv version withdraws the paper (its comment says why)",
        },
        "deleted": {
            "type": "boolean",
            "description": "arXiv deleted the record; only /api/papers and /api/papers/{id} "
            "return such a paper",
        },
        "deletedAt": {**_TIME, "description": "When arXiv deleted it (the day), or null"},
        "organization": _NAMED,
        "submittedOnDailyBy": {
            "type": "object",
            "required": ["user", "fullname"],
            "properties": {"user": _TEXT, "fullname": _TEXT},
        },
        "seq": {"type": "integer", "description": "Change order (in /api/papers only)"},
        **{
            f"linked{kind}": {
                "type": "array",
                "items": _LINKED,
                "description": f"The most liked Hub {kind.lower()} citing the paper"
                " (in /api/papers/{id} only)",
            }
            for kind in ("Models", "Datasets", "Spaces")
        },
        **{
            f"numTotal{kind}": {
                "type": "integer",
                "minimum": 0,
                "description": f"How many Hub {kind.lower()} cite the paper"
                " (in /api/papers/{id} only)",
            }
            for kind in ("Models", "Datasets", "Spaces")
        },
    },
}

DAILY_ITEMS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["paper", "publishedAt", "title", "summary", "numComments", "organization"],
        "properties": {
            "paper": PAPER,
            "publishedAt": _TIME,
            "title": _TEXT,
            "summary": _TEXT,
            "numComments": {"type": "integer", "minimum": 0},
            "organization": {"anyOf": [_NAMED, {"type": "null"}]},
            "submittedBy": _NAMED,
        },
    },
}

PAPERS_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["papers", "nextCursor"],
    "properties": {
        "papers": {"type": "array", "items": {**PAPER, "required": [*PAPER["required"], "seq"]}},
        "nextCursor": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}

COMMENT: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "paperId",
        "parentId",
        "author",
        "body",
        "html",
        "createdAt",
        "editedAt",
        "deleted",
        "hidden",
        "permalink",
    ],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "paperId": _TEXT,
        "parentId": {"type": ["integer", "null"]},
        "author": {
            "anyOf": [
                {"type": "object", "required": ["name"], "properties": {"name": _TEXT}},
                {"type": "null"},
            ],
            "description": "null for a deleted or hidden comment",
        },
        "body": {**_MAYBE_TEXT, "description": "The Markdown source; null once deleted or hidden"},
        "html": {**_MAYBE_TEXT, "description": "The Markdown as sanitised HTML"},
        "createdAt": _TIME,
        "editedAt": _TIME,
        "deleted": {"type": "boolean"},
        "hidden": {"type": "boolean"},
        "permalink": _TEXT,
    },
}

COMMENTS_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["comments", "total", "nextPage"],
    "properties": {
        "comments": {"type": "array", "items": COMMENT},
        "total": {"type": "integer", "minimum": 0, "description": "Tombstones included"},
        "nextPage": {"type": ["integer", "null"]},
    },
    "additionalProperties": False,
}

NEW_COMMENT: dict[str, Any] = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": 10_000},
        "parentId": {"type": ["integer", "null"], "description": "The comment replied to"},
    },
    "additionalProperties": False,
}

_ERRORS = {
    400: "A parameter cannot be used; `where` names it",
    401: "Log in first (a session cookie)",
    403: "The CSRF token is missing or wrong, or this account may not post",
    404: "Nothing by that id here",
    429: "Too many comments: see Retry-After",
    503: "Search is switched off on this server",
}


def answers(ok: dict[str, Any], ok_text: str, *errors: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: its 200 body and the error statuses it gives."""
    found: dict[int | str, dict[str, Any]] = {
        200: {"description": ok_text, "content": {"application/json": {"schema": ok}}}
    }
    for status in errors:
        found[status] = {
            "description": _ERRORS[status],
            "content": {"application/json": {"schema": ERROR}},
        }
    return found


def created(ok: dict[str, Any], ok_text: str, *errors: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that makes something: its 201 body and its errors."""
    found = answers(ok, ok_text, *errors)
    found[201] = found.pop(200)
    return found


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` give the document without FastAPI's stock 422 answers."""
    stock = app.openapi  # FastAPI's own: builds the document once per set of routes

    def document() -> dict[str, Any]:
        found = stock()
        for operations in found.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        components = found.get("components", {})
        schemas = components.get("schemas", {})
        for name in _STOCK_VALIDATION:
            schemas.pop(name, None)
        if "schemas" in components and not schemas:
            del components["schemas"]
        if "components" in found and not components:
            del found["components"]
        return found

    app.openapi = document  # type: ignore[method-assign]  # why: FastAPI's way to replace the schema
