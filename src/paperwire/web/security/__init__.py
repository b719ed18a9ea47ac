"""Web security: headers, sessions, CSRF, password hashing, login limits, safe redirects."""

from paperwire.web.security.csrf import CsrfFailed, check_csrf, csrf_token, require_csrf
from paperwire.web.security.redirects import safe_next
from paperwire.web.security.sessions import current_user

__all__ = ["CsrfFailed", "check_csrf", "csrf_token", "current_user", "require_csrf", "safe_next"]
