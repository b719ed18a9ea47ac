"""The discussion in the JSON API: ``GET`` and ``POST /api/papers/{id}/comments``.

GET lists a paper's discussion a page at a time (``p`` from 0, ``limit`` up to
50, ``sort`` oldest or newest), tombstones and hidden comments as nulls so
replies keep their place. POST needs a session cookie and its CSRF token
in the ``X-CSRF-Token`` header; its JSON body is ``{"body": MARKDOWN,
"parentId": N or null}``; it answers 201 with the comment. The rules and the
limits are ``application.discussion``'s; errors have the API's one shape.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from paperwire.application import discussion
from paperwire.application.discussion import CommentRejected, Forbidden, RateLimited
from paperwire.store.discussion_records import NotFound
from paperwire.web.errors import json_error
from paperwire.web.openapi import COMMENT, COMMENTS_PAGE, NEW_COMMENT, answers, created
from paperwire.web.render.discussion_view import comment_json, views_of
from paperwire.web.routes.discussion import discussion_limits, mail_notifications
from paperwire.web.routes.papers import canonical_id
from paperwire.web.security.csrf import require_csrf
from paperwire.web.security.sessions import current_user
from paperwire.web.state import app_state

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["discussion"])

MAX_LIMIT = 50
_MAX_BODY_BYTES = 64_000


@router.get(
    "/papers/{paper_id:path}/comments",
    summary="A paper's discussion",
    responses=answers(COMMENTS_PAGE, "One page of comments, threads in order", 400, 404),
)
def list_comments(
    request: Request,
    paper_id: str,
    p: Annotated[int, Query(ge=0, le=10_000, description="Page number, from 0")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Comments per page")] = 50,
    sort: Annotated[
        Literal["oldest", "newest"], Query(description="Threads oldest or newest first")
    ] = "oldest",
) -> Response:
    """`{comments: [{id, paperId, parentId, author: {name}, body, html, createdAt, editedAt,
    deleted, hidden, permalink}], total, nextPage}`: each thread's first comment in `sort`
    order, its replies oldest first under it."""
    state = app_state(request)
    wanted = canonical_id(paper_id)
    if wanted is None:
        return json_error(400, f"{paper_id!r} is not an arXiv id", "paper_id")
    if state.store.get_paper(wanted) is None:
        return json_error(404, f"no paper {wanted} here", "paper_id")
    page = state.store.comments_page(wanted, sort, limit, p * limit)
    user = current_user(request)
    moderator = discussion.is_moderator(state.store, user)
    views = views_of(state.store, page.comments, user, moderator)
    more = (p + 1) * limit < page.total
    return JSONResponse(
        {
            "comments": [comment_json(v) for v in views],
            "total": page.total,
            "nextPage": p + 1 if more else None,
        }
    )


@router.post(
    "/papers/{paper_id:path}/comments",
    summary="Post a comment (session and CSRF token needed)",
    status_code=201,
    dependencies=[Depends(require_csrf)],
    responses=created(COMMENT, "The comment posted", 400, 401, 403, 404, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": NEW_COMMENT}},
        }
    },
)
async def post_comment(request: Request, background: BackgroundTasks, paper_id: str) -> Response:
    """Post `{body, parentId}` as the logged-in user; 201 with the comment."""
    state = app_state(request)
    user = current_user(request)
    if user is None:
        return json_error(401, "log in first: this needs a session", None)
    wanted = canonical_id(paper_id)
    if wanted is None:
        return json_error(400, f"{paper_id!r} is not an arXiv id", "paper_id")
    parsed = await _new_comment(request)
    if isinstance(parsed, Response):
        return parsed
    body, parent = parsed
    try:
        made = discussion.post_comment(
            state.store,
            discussion_limits(state),
            user,
            wanted,
            body,
            state.clock().timestamp(),
            parent,
        )
    except RateLimited as exc:
        limited = json_error(429, str(exc), None)
        limited.headers["Retry-After"] = str(exc.retry_after)
        return limited
    except NotFound as exc:
        return json_error(404, str(exc), "parentId" if parent is not None else "paper_id")
    except Forbidden as exc:
        return json_error(403, str(exc), None)
    except CommentRejected as exc:
        return json_error(400, str(exc), "body")
    background.add_task(mail_notifications, state)
    (view,) = views_of(state.store, [made], user, False)
    return JSONResponse(comment_json(view), status_code=201)


async def _new_comment(request: Request) -> tuple[str, int | None] | Response:
    raw = await request.body()
    if len(raw) > _MAX_BODY_BYTES:
        return json_error(400, "the request body is too large", "body")
    try:
        data: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return json_error(400, "the request body must be a JSON object", "body")
    if not isinstance(data, dict):
        return json_error(400, "the request body must be a JSON object", "body")
    unknown = set(data) - {"body", "parentId"}
    if unknown:
        return json_error(400, f"unknown field {sorted(unknown)[0]!r}", sorted(unknown)[0])
    body = data.get("body")
    if not isinstance(body, str):
        return json_error(400, "body must be a string of Markdown", "body")
    parent = data.get("parentId")
    if parent is not None and (
        not isinstance(parent, int) or isinstance(parent, bool) or not 0 < parent < 2**62
    ):
        return json_error(400, "parentId must be a comment id or null", "parentId")
    return body, parent
