"""The web application: server-rendered pages, the JSON API and RSS/Atom feeds.

``create_app(settings, store=None)`` builds it; each URL area is a router module
under ``routes/`` (daily, trending, search, papers, orgs, submit, accounts, api,
feeds, docs, personal) registered in ``routes.ROUTERS``; ``render/`` turns records
into HTML, XML and JSON for them. What a new area uses: ``app_state``,
``current_user``, ``require_csrf``, ``render.templates.render`` and the
``partials/paper_list.html`` template fed by ``listed_cards``.
"""

from paperwire.web.app import create_app
from paperwire.web.render.page_helpers import cached, listed_cards
from paperwire.web.routes import ROUTERS
from paperwire.web.security import check_csrf, csrf_token, current_user, require_csrf, safe_next
from paperwire.web.state import AppState, app_state

__all__ = [
    "ROUTERS",
    "AppState",
    "app_state",
    "cached",
    "check_csrf",
    "create_app",
    "csrf_token",
    "current_user",
    "listed_cards",
    "require_csrf",
    "safe_next",
]
