"""Author pages: ``/authors/{name}``, the papers that list one author name, paged.

The name is matched exactly as ingest normalised it (``store.authors``), so
the page groups papers by name and says so: it claims no identity. Beside the
papers it shows the name's most frequent co-authors and organisations, and a
button to follow the name (the reader's author follows, ``/follows``).
Anonymous visitors get the page from the page cache.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.web.errors import error_response
from paperwire.web.render.page_helpers import cached, listed_cards, page_number, pager_for
from paperwire.web.render.templates import MAX_AUTHOR_NAME, render
from paperwire.web.security.sessions import current_user
from paperwire.web.state import app_state

__all__ = ["author_path", "router"]

router = APIRouter()


def author_path(name: str) -> str:
    """The page of author ``name``; a "/" in a name is escaped, not a path step."""
    return f"/authors/{quote(name, safe='')}"


@router.get("/authors/{name:path}", include_in_schema=False)
def author_page(request: Request, name: str, page: str | None = None) -> Response:
    number = page_number(page)
    return cached(request, lambda: _author(request, name, number))


def _author(request: Request, name: str, page: int) -> Response:
    state = app_state(request)
    if not name.strip() or len(name) > MAX_AUTHOR_NAME:
        return error_response(request, 404, "No papers here list an author by that name.")
    size = state.web.page_size
    found = state.store.author_page(name, offset=(page - 1) * size, limit=size)
    if found.total == 0:
        return error_response(request, 404, "No papers here list an author by that name.")
    user = current_user(request)
    following = user is not None and any(
        f.kind == "author" and f.value == name for f in state.store.follows(user.id)
    )
    return render(
        request,
        "author.html",
        author=found,
        cards=listed_cards(request, found.items),
        pager=pager_for(request, page, found.total, size),
        path=author_path(name),
        following=following,
    )
