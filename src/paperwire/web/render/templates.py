"""Rendering pages: the Jinja2 environment (autoescape always on) and ``render``.

Templates live in ``web/templates``: ``base.html`` is the layout, pages extend
it, ``partials/`` holds the pieces pages share (``paper_list.html`` renders
a list of ``PaperCard``). ``render`` gives every template the request, the
logged-in user, ``csrf()`` (the token forms must carry), ``mail_ready()``
(whether this server can send mail) and the feed links for autodiscovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from paperwire import __version__
from paperwire.web.render import comments, links, mathml, text
from paperwire.web.render.cards import topic_url
from paperwire.web.render.sync_notice import current_sync_notice
from paperwire.web.render.times import time_html
from paperwire.web.security.csrf import apply_csrf_cookie, masked_csrf_token
from paperwire.web.security.sessions import current_user
from paperwire.web.state import app_state

__all__ = ["DAILY_FEEDS", "FeedLink", "make_environment", "render", "render_string"]

MAX_AUTHOR_NAME = 200  # the longest name an author page takes; longer ones are not linked


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    href: str
    kind: str  # "rss" or "atom"

    @property
    def media_type(self) -> str:
        return "application/rss+xml" if self.kind == "rss" else "application/atom+xml"


DAILY_FEEDS = (
    FeedLink("Daily papers (RSS)", "/feeds/daily.rss", "rss"),
    FeedLink("Daily papers (Atom)", "/feeds/daily.atom", "atom"),
)


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("paperwire.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        abstract_html=text.abstract_html,
        math_html=mathml.math_html,
        comment_html=comments.comment_html,
        linked_html=links.linked_html,
        snippet_html=text.snippet_html,
        long_day=text.long_day,
        short_day=text.short_day,
        count=text.count,
        plural=text.plural,
        path_quote=lambda value: quote(str(value), safe="/:"),
        query_quote=lambda value: quote(str(value), safe=""),
        path_quote_query=lambda value: quote(str(value), safe="/:?=&"),
        topic_url=topic_url,
    )
    env.globals.update(version=__version__, max_author_name=MAX_AUTHOR_NAME)
    return env


def render_string(request: Request, template: str, /, **context: Any) -> str:
    """The page ``name`` as text, with the shared context added."""
    feeds: Sequence[FeedLink] = context.pop("feeds", DAILY_FEEDS)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    state = app_state(request)
    if "sync_notice" not in context:
        # Every page says when a source fails, not only the feeds (it is read per request:
        # a few row lookups; the page cache keys on it, see ``page_helpers.cached``).
        context["sync_notice"] = current_sync_notice(state)
    page = state.templates.get_template(template)
    return page.render(
        request=request,
        user=current_user(request),
        csrf=lambda: masked_csrf_token(request),  # masked per page: BREACH
        mail_ready=lambda: state.mail_settings().can_send,
        unread_notifications=lambda: _unread(request),
        is_moderator=lambda: _moderates(request),
        time_html=lambda moment: time_html(moment, state.web.display_zone),
        here=path,
        feeds=feeds,
        search_query=context.pop("search_query", ""),
        **context,
    )


def render(request: Request, template: str, /, status: int = 200, **context: Any) -> HTMLResponse:
    response = HTMLResponse(render_string(request, template, **context), status_code=status)
    apply_csrf_cookie(request, response)
    if current_user(request) is not None:
        # A logged-in page shows the reader's own marks and token: no shared cache keeps it.
        response.headers.setdefault("cache-control", "private, no-store")
    return response


def _unread(request: Request) -> int:
    user = current_user(request)
    return 0 if user is None else app_state(request).store.unread_notifications(user.id)


def _moderates(request: Request) -> bool:
    user = current_user(request)
    return user is not None and bool(
        app_state(request).store.user_roles(user.id) & {"admin", "moderator"}
    )
