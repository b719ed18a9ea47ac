"""Papers' thumbnails, ``/thumbnails/{id}.webp``, from the store, cached for a year.

Pages link to ``/thumbnails/{id}.webp?v=DIGEST``: a new thumbnail has a new
address, so the image can be kept for a year and never asked again
(``immutable``); a client that asks anyway gets a 304 on its ``ETag``.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from paperwire.web.conditional import conditional
from paperwire.web.errors import error_response
from paperwire.web.state import app_state

__all__ = ["THUMBNAIL_CACHE_CONTROL", "router"]

router = APIRouter()

THUMBNAIL_CACHE_CONTROL = "public, max-age=31536000, immutable"


@router.get("/thumbnails/{paper_id:path}.webp", include_in_schema=False)
def thumbnail(request: Request, paper_id: str) -> Response:
    found = app_state(request).store.thumbnail(paper_id)
    if found is None:
        return error_response(request, 404, f"There is no thumbnail of {paper_id} here.")
    response = Response(found.image, media_type="image/webp")
    return conditional(
        request, response, cache_control=THUMBNAIL_CACHE_CONTROL, etag=f'"{found.digest}"'
    )
