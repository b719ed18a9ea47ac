"""Accounts in the browser tests, made as a reader makes one: through /register's form."""

from __future__ import annotations

from web_helpers import PASSWORD

__all__ = ["register"]


def register(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Create account ``name`` with the tests' password and wait for the front page,
    where the new account lands logged in."""
    page.goto("/register")
    page.locator("#username").fill(name)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")
