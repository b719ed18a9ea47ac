"""The site links a message carries: papers, comments, confirm, one-click unsubscribes,
private feeds."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from paperwire.mail.tokens import make_token

__all__ = ["SiteLinks"]


@dataclass(frozen=True, slots=True)
class SiteLinks:
    base_url: str  # no trailing slash
    secret: str

    def paper(self, paper_id: str) -> str:
        return f"{self.base_url}/papers/{quote(paper_id, safe='/:')}"

    def confirm(self, subscriber_id: int) -> str:
        return f"{self.base_url}/subscribe/confirm?token={self._token('confirm', subscriber_id)}"

    def unsubscribe(self, subscriber_id: int) -> str:
        """Where RFC 8058 mail clients POST ``List-Unsubscribe=One-Click``; a GET shows a button."""
        return f"{self.base_url}/unsubscribe?token={self._token('unsubscribe', subscriber_id)}"

    def comment(self, paper_id: str, comment_id: int) -> str:
        """A comment's permalink."""
        return f"{self.base_url}/comments/{comment_id}"

    def notifications_off(self, user_id: int) -> str:
        """RFC 8058 one-click: a POST turns off every notification mail of this user."""
        token = self._token("notifications", user_id)
        return f"{self.base_url}/notifications/unsubscribe?token={token}"

    def for_you_feed(self, user_id: int) -> str:
        return f"{self.base_url}/for-you/feed.rss?token={self._token('feed', user_id)}"

    def _token(self, purpose: str, subject: int) -> str:
        return make_token(self.secret, purpose, str(subject))
