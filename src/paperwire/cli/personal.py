"""``paperwire digest send`` and ``paperwire eval recs``: digests, and the recommender's figures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table

from paperwire.bench.beir import shared_data_dir
from paperwire.bench.recs_data import ARXIV_CS_FILE, Protocol
from paperwire.bench.recs_eval import evaluate_recs
from paperwire.cli.options import (
    counted_progress,
    db_option,
    emit_json,
    json_option,
    open_cli_store,
)
from paperwire.config import SettingsError, load_settings
from paperwire.mail.run import DigestRun, send_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.mail.smtp import MailerNotConfigured, SmtpSender
from paperwire.search.embedding import DEFAULT_BACKEND, load_backend
from paperwire.store import StoreLocation
from paperwire.store.locks import JobBusy

__all__ = ["digest_group", "eval_recs_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_DEFAULTS = Protocol()  # the documented evaluation run


@contextmanager
def _stages() -> Iterator[Callable[[str, int, int], None]]:
    with counted_progress() as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


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
        with _stages() as progress:
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


@click.command("recs", context_settings=CONTEXT)
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The arXiv listing set (default: the shared data's arxiv-cs file).",
)
@click.option("--users", default=_DEFAULTS.users, show_default=True, type=click.IntRange(1, 5000))
@click.option(
    "--candidates", default=_DEFAULTS.candidates, show_default=True, type=click.IntRange(50)
)
@click.option("--seed", default=_DEFAULTS.seed, show_default=True, help="Draws the users.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where embeddings are kept between runs (default: $PAPERWIRE_HOME/cache/recs-eval).",
)
@click.option("--model", default=DEFAULT_BACKEND, show_default=True, help="Embedding backend.")
@json_option
def eval_recs_command(
    data_file: Path | None,
    users: int,
    candidates: int,
    seed: int,
    cache: Path | None,
    model: str,
    json_out: str | None,
) -> None:
    """precision@20 and nDCG@20 of the "for you" model and of the arxiv-sanity-lite baseline.

    Simulated users, each interested in one or two arXiv categories, give 10
    papers from before the last month; both models rank a sample of the last
    month's papers, on text alone. The protocol: docs/RECOMMENDATIONS.md.

    \b
    Example:
      paperwire eval recs --json recs.json
    """
    data_file = data_file or shared_data_dir() / ARXIV_CS_FILE
    if not data_file.is_file():
        raise click.ClickException(
            f"{data_file} not found: pass --data FILE or set PAPERWIRE_SHARED_DATA"
        )
    settings = load_settings()
    try:
        backend = load_backend(model, settings=settings)
    except Exception as exc:  # a missing model package, an unknown name, a broken cache
        raise click.ClickException(f"cannot load the embedding model {model!r}: {exc}") from exc
    protocol = Protocol(seed=seed, users=users, candidates=candidates)
    folder = cache or settings.home / "cache" / "recs-eval"
    try:
        with _stages() as progress:
            result = evaluate_recs(data_file, backend, folder, protocol, progress=progress)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    figures = result.figures
    table = Table(title=f"paperwire eval recs ({users} users, {candidates} candidates)")
    for column in ("model", "precision@20", "nDCG@20"):
        table.add_column(column)
    for name in ("paperwire", "baseline"):
        row = figures[name]
        table.add_row(name, f"{row['precision@20']:.4f}", f"{row['ndcg@20']:.4f}")  # type: ignore[index]  # why: the figures are dicts of dicts, typed object
    table.add_row(
        "relative",
        f"{figures['relative_precision@20']:+.1%}",
        f"{figures['relative_ndcg@20']:+.1%}",
    )
    Console(stderr=json_out == "-").print(table)
    emit_json(figures, json_out)
