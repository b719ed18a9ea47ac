"""``paperwire digest send`` and ``notify``: the email digests of confirmed subscribers, and
the discussion's notification mail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import (
    db_option,
    emit_json,
    json_option,
    open_cli_store,
    staged_progress,
)
from paperwire.config import SettingsError, load_settings
from paperwire.mail.notify import send_notification_mail
from paperwire.mail.run import DigestRun, send_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.mail.smtp import MailerNotConfigured, SmtpSender
from paperwire.store import StoreLocation
from paperwire.store.locks import JobBusy

__all__ = ["digest_group"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group("digest", context_settings=CONTEXT)
def digest_group() -> None:
    """Email digests: trending, "for you" and alerts, to confirmed subscribers.

    \b
    Example:
      paperwire digest send --dry-run
    """


@digest_group.command("send", context_settings=CONTEXT)
@click.option("--dry-run", is_flag=True, help="Compose and report; store and send nothing.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the digests are for (default: today, UTC).",
)
@db_option
@json_option
def digest_send_command(
    dry_run: bool, today: datetime | None, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Compose this period's digest for every confirmed subscriber, then send all waiting mail.

    A subscriber gets one digest per day (daily) or ISO week (weekly), however
    often this runs. A run that was killed is completed by the next one, with
    nothing sent twice. SMTP comes from PAPERWIRE_SMTP_HOST, PAPERWIRE_SMTP_PORT,
    PAPERWIRE_SMTP_STARTTLS, PAPERWIRE_SMTP_USER and PAPERWIRE_SMTP_PASSWORD;
    links start with PAPERWIRE_BASE_URL.

    \b
    Example:
      paperwire digest send --dry-run
      PAPERWIRE_SMTP_HOST=smtp.example.org paperwire digest send --json digest.json
    """
    day = today.date() if today else datetime.now(UTC).date()
    try:
        settings = load_settings()
        mail = load_mail_settings(settings)
        mailer = None if dry_run else SmtpSender(mail)
    except (MailerNotConfigured, SettingsError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    store = open_cli_store(db_path)
    try:
        with staged_progress() as progress:
            run = send_digests(
                store, settings, mail, mailer, day, dry_run=dry_run, progress=progress
            )
    except JobBusy as exc:
        raise click.ClickException(
            f"{exc}; this run's digests are in the outbox and the next run sends them"
        ) from exc
    finally:
        if mailer is not None:
            mailer.close()
        store.close()
    figures = _digest_figures(run, day, dry_run)
    _print_digest(figures, json_out)
    emit_json(figures, json_out)
    if run.delivery.stopped_early:
        raise click.ClickException(
            "the SMTP server kept failing, so the run stopped; the rest waits in the outbox: "
            f"run `paperwire digest send` again later ({'; '.join(run.delivery.errors or [])})"
        )


def _digest_figures(run: DigestRun, day: date, dry_run: bool) -> dict[str, object]:
    return {
        "day": day.isoformat(),
        "dry_run": dry_run,
        "subscribers": run.subscribers,
        "composed": run.composed,
        "already_queued": run.already_queued,
        "nothing_new": run.nothing_new,
        "queued": run.queued,
        "sent": run.delivery.sent,
        "retry_later": run.delivery.retry_later,
        "failed": run.delivery.failed,
        "previews": [
            {"to": m.recipient, "papers": len(m.paper_ids), "key": m.idempotency_key}
            for m in run.previews
        ],
    }


def _print_digest(figures: dict[str, object], json_out: str | None) -> None:
    table = Table(title="paperwire digest send", show_header=False)
    for name, value in figures.items():
        if name != "previews":
            table.add_row(name, str(value))
    Console(stderr=json_out == "-").print(table)


@digest_group.command("notify", context_settings=CONTEXT)
@db_option
@json_option
def digest_notify_command(db_path: StoreLocation | None, json_out: str | None) -> None:
    """Mail the discussion notifications that are due, then send all waiting mail.

    Replies, mentions and new comments on watched papers, at most one mail per
    user per PAPERWIRE_NOTIFY_MAIL_INTERVAL_SECONDS (default 3600), each
    notification once however often this runs or is killed. The service runs
    this after each comment and with its scheduled jobs.

    \b
    Example:
      PAPERWIRE_SMTP_HOST=smtp.example.org paperwire digest notify
    """
    try:
        settings = load_settings()
        mail = load_mail_settings(settings)
        mailer = SmtpSender(mail)
    except (MailerNotConfigured, SettingsError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    store = open_cli_store(db_path)
    try:
        run = send_notification_mail(store, settings, mail, mailer)
    except (JobBusy, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        mailer.close()
        store.close()
    delivery = run.delivery
    figures = {
        "users": run.users,
        "waiting": run.waiting,
        "queued": run.queued,
        "sent": delivery.sent if delivery else 0,
        "retry_later": delivery.retry_later if delivery else 0,
        "failed": delivery.failed if delivery else 0,
    }
    table = Table(title="paperwire digest notify", show_header=False)
    for name, value in figures.items():
        table.add_row(name, str(value))
    Console(stderr=json_out == "-").print(table)
    emit_json(figures, json_out)
