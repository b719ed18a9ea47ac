"""The routes, one module per URL area, each exposing ``router = APIRouter()``.

``daily`` serves ``/`` and ``/papers?date=|week=|month=``; ``trending``
``/trending`` and ``/about/ranking``; ``search`` ``/search``; ``papers``
``/papers/{id}`` and its upvote; ``orgs`` ``/orgs``; ``submit`` ``/submit``;
``accounts`` ``/register``, ``/login`` and ``/logout``; ``api`` ``/api/...``;
``feeds`` ``/feeds/...``; ``docs`` ``/docs``; ``personal`` ``/library``,
``/follows`` and ``/for-you``, with ``subscriptions`` (``/subscribe``,
``/unsubscribe``) hung under it; ``status`` ``/status`` and ``/status.json``;
``topics`` ``/topics/{keyphrase}``.
A new area is a module here whose router is added to ``ROUTERS``, which the
app includes in this order.
"""

from __future__ import annotations

from fastapi import APIRouter

from paperwire.web.routes import (
    accounts,
    api,
    daily,
    docs,
    feeds,
    orgs,
    papers,
    personal,
    search,
    status,
    submit,
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
    submit.router,
    accounts.router,
    api.router,
    feeds.router,
    docs.router,
    personal.router,
    status.router,
    topics.router,
)
