"""The routes, one module per URL area, each exposing ``router = APIRouter()``.

``daily`` serves ``/`` and ``/papers?date=|week=|month=``; ``trending``
``/trending`` and ``/about/ranking``; ``search`` ``/search``; ``papers``
``/papers/{id}`` and its upvote; ``orgs`` ``/orgs``; ``authors``
``/authors/{name}``; ``submit`` ``/submit``;
``accounts`` ``/register``, ``/login`` and ``/logout``; ``api`` ``/api/...``;
``feeds`` ``/feeds/...``; ``docs`` ``/docs``; ``personal`` ``/library``,
``/follows`` and ``/for-you``, with ``subscriptions`` (``/subscribe``,
``/unsubscribe``) and ``triage`` (the undo of "not interested" and "seen")
hung under it; ``collections`` a folder's BibTeX and RSS,
``/collections/{user}/{slug}`` and ``/users/{name}``; ``status`` ``/status`` and
``/status.json``; ``site`` ``/robots.txt`` and the sitemap; ``thumbnails``
``/thumbnails/{id}.webp``;
``discussion`` the comments under each paper, their permalinks and feeds, and
``/discussions``; ``moderation`` ``/moderation``; ``notifications``
``/notifications``; ``api_comments`` ``/api/papers/{id}/comments``; ``topics``
``/topics/{keyphrase}``.
A new area is a module here whose router is added to ``ROUTERS``, which the
app includes in this order.
"""

from __future__ import annotations

from fastapi import APIRouter

from paperwire.web.routes import (
    accounts,
    api,
    api_comments,
    authors,
    collections,
    daily,
    discussion,
    docs,
    feeds,
    moderation,
    notifications,
    orgs,
    papers,
    personal,
    search,
    site,
    status,
    submit,
    thumbnails,
    topics,
    trending,
)

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    daily.router,
    trending.router,
    search.router,
    papers.router,
    orgs.router,
    authors.router,
    submit.router,
    accounts.router,
    api_comments.router,  # before api: /api/papers/{id:path} would take its paths
    api.router,
    feeds.router,
    docs.router,
    personal.router,
    collections.router,
    status.router,
    site.router,
    thumbnails.router,
    discussion.router,
    moderation.router,
    notifications.router,
    topics.router,
)
