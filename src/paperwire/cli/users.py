"""``paperwire users grant|revoke ROLE NAME``: the discussion's moderators and admins."""

from __future__ import annotations

import time

import click

from paperwire.cli.options import db_option, open_cli_store
from paperwire.store import PaperStore, StoreLocation
from paperwire.store.discussion_records import ROLES
from paperwire.store.records import User

__all__ = ["users_group"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group("users", context_settings=CONTEXT)
def users_group() -> None:
    """Give or take away a user's role: admin or moderator of the discussion.

    \b
    Example:
      paperwire users grant moderator alice
    """


@users_group.command("grant", context_settings=CONTEXT)
@click.argument("role", type=click.Choice(ROLES))
@click.argument("name")
@db_option
def grant_command(role: str, name: str, db_path: StoreLocation | None) -> None:
    """Give the user NAME the role ROLE (moderators hide comments and ban users).

    \b
    Example:
      paperwire users grant moderator alice
    """
    store = open_cli_store(db_path)
    try:
        user = _user(store, name)
        changed = store.grant_role(user.id, role, time.time())
    finally:
        store.close()
    click.echo(f"{user.username} {'is now' if changed else 'was already'} {role}")


@users_group.command("revoke", context_settings=CONTEXT)
@click.argument("role", type=click.Choice(ROLES))
@click.argument("name")
@db_option
def revoke_command(role: str, name: str, db_path: StoreLocation | None) -> None:
    """Take the role ROLE away from the user NAME.

    \b
    Example:
      paperwire users revoke moderator alice
    """
    store = open_cli_store(db_path)
    try:
        user = _user(store, name)
        changed = store.revoke_role(user.id, role)
    finally:
        store.close()
    click.echo(f"{user.username} {'is no longer' if changed else 'was not'} {role}")


def _user(store: PaperStore, name: str) -> User:
    found = store.user_by_name(name)
    if found is None:
        raise click.ClickException(f"there is no user {name!r} in this store")
    return found[0]
