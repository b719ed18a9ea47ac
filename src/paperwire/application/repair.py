"""``paperwire repair``: a store imported by an older paperwire, brought up to today's rules.

Every stored paper is re-derived by ``ingest.repair.repaired`` and written back
when it differs, in batches, each batch one transaction with new change
sequence values so the search indexes follow. Running it twice changes
nothing the second time. What the records no longer hold (paragraphs and
affiliations an older import dropped) is counted, not invented: those papers
are named as waiting for their next import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from paperwire.ingest.repair import repaired
from paperwire.model import Paper
from paperwire.store.base import PaperStore

__all__ = ["REPAIRED_FIELDS", "RepairReport", "repair_store"]

# The fields a repair can change, in the order a report lists them.
REPAIRED_FIELDS = (
    "title",
    "abstract",
    "comment",
    "authors",
    "github_repos",
    "project_pages",
    "organization",
    "withdrawn",
)
_EXAMPLES = 20


@dataclass(slots=True)
class RepairReport:
    """What a repair found: ``papers`` read, ``repaired`` written back (or that would
    be, on a dry run), how many changed each field, and ``legacy``: papers last
    imported by older rules, whose dropped paragraphs and affiliations only a new
    import of their source brings back."""

    papers: int = 0
    repaired: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    legacy: int = 0
    dry_run: bool = False
    examples: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, object]:
        return {
            "papers": self.papers,
            "repaired": self.repaired,
            "fields": {name: self.fields[name] for name in REPAIRED_FIELDS},
            "legacy": self.legacy,
            "dry_run": self.dry_run,
            "examples": list(self.examples),
        }


def repair_store(
    store: PaperStore,
    *,
    dry_run: bool = False,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> RepairReport:
    """Repair every paper of ``store``; with ``dry_run``, only count what would change.

    ``progress`` is called with the number of papers read so far after each batch.
    """
    report = RepairReport(dry_run=dry_run, legacy=store.papers_from_older_rules())
    batch: list[Paper] = []
    for paper in store.iter_papers():
        report.papers += 1
        fixed = repaired(paper)
        if fixed != paper:
            _count(report, paper, fixed)
            batch.append(fixed)
        if len(batch) >= batch_size:
            _write(store, batch, dry_run)
        if progress is not None and report.papers % batch_size == 0:
            progress(report.papers)
    _write(store, batch, dry_run)
    if progress is not None:
        progress(report.papers)
    return report


def _count(report: RepairReport, before: Paper, after: Paper) -> None:
    report.repaired += 1
    changed = [name for name in REPAIRED_FIELDS if getattr(before, name) != getattr(after, name)]
    report.fields.update(changed)
    if len(report.examples) < _EXAMPLES:
        report.examples.append(f"{before.id}: {', '.join(changed)}")


def _write(store: PaperStore, batch: list[Paper], dry_run: bool) -> None:
    if batch and not dry_run:
        store.replace_papers(batch)
    batch.clear()
