"""``paperwire users grant|revoke ROLE NAME``: the discussion's moderators and admins."""

from __future__ import annotations

import time
from collections.abc import Callable

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


def _role_command(name: str) -> Callable[[Callable[..., None]], click.Command]:
    """``users NAME ROLE USER [--db ...]``: the arguments both role commands take."""

    def decorate(function: Callable[..., None]) -> click.Command:
        function = db_option(function)
        function = click.argument("name")(function)
        function = click.argument("role", type=click.Choice(ROLES))(function)
        return users_group.command(name, context_settings=CONTEXT)(function)

    return decorate


@_role_command("grant")
def grant_command(role: str, name: str, db_path: StoreLocation | None) -> None:
    """Give the user NAME the role ROLE (moderators hide comments and ban users).

    \b
    Example:
      paperwire users grant moderator alice
    """
    user, changed = _change_role(db_path, name, lambda s, u: s.grant_role(u, role, time.time()))
    click.echo(f"{user.username} {'is now' if changed else 'was already'} {role}")


@_role_command("revoke")
def revoke_command(role: str, name: str, db_path: StoreLocation | None) -> None:
    """Take the role ROLE away from the user NAME.

    \b
    Example:
      paperwire users revoke moderator alice
    """
    user, changed = _change_role(db_path, name, lambda s, u: s.revoke_role(u, role))
    click.echo(f"{user.username} {'is no longer' if changed else 'was not'} {role}")


def _change_role(
    db_path: StoreLocation | None, name: str, change: Callable[[PaperStore, int], bool]
) -> tuple[User, bool]:
    """The user NAME, and whether ``change`` (given the store and their id) changed a role."""
    store = open_cli_store(db_path)
    try:
        found = store.user_by_name(name)
        if found is None:
            raise click.ClickException(f"there is no user {name!r} in this store")
        user = found[0]
        return user, change(store, user.id)
    finally:
        store.close()
