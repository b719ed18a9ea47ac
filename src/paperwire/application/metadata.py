"""The metadata audit: what a whole store still shows wrong, counted by kind of fault.

``paperwire check --metadata`` runs it. Each kind is one fault a reader would
see on a paper's page, and one the importers are meant to prevent:

- ``author_markup``: an author whose name still holds TeX (``Erd\\H{o}s``) or a
  footnote marker of arXiv's numbered-affiliation form (``Chen Wei (2)``);
- ``github_without_code_link``: a paper whose abstract or comment names a
  GitHub repository, while the paper has no code link;
- ``duplicate_links``: a paper with two code or project links that are one
  link (``model.link_key``: they differ only by scheme, ``www.``, a trailing
  slash or case);
- ``organization_variants``: organisation names that differ only by case or
  spacing, counted per extra spelling.

A store imported by an older paperwire can be brought up to date with
``paperwire repair`` (``application.repair``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from paperwire.ingest.authors import has_author_markup
from paperwire.ingest.links import mentions_github_repository
from paperwire.model import Paper, link_key
from paperwire.organizations import organization_key
from paperwire.store.base import PaperStore

__all__ = ["FAULT_KINDS", "MetadataReport", "audit_metadata", "paper_faults"]

FAULT_KINDS = (
    "author_markup",
    "github_without_code_link",
    "duplicate_links",
    "organization_variants",
)
_EXAMPLES = 20  # examples kept per kind: enough to look at, bounded on a large store


@dataclass(slots=True)
class MetadataReport:
    """Counts per kind of fault over ``papers`` papers, with up to 20 examples each.

    An example is a paper id and what is wrong with it (for organisation
    variants: the spellings of one organisation).
    """

    papers: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 0))
    examples: dict[str, list[str]] = field(
        default_factory=lambda: {kind: [] for kind in FAULT_KINDS}
    )

    @property
    def ok(self) -> bool:
        return not any(self.counts.values())

    def add(self, kind: str, example: str, count: int = 1) -> None:
        self.counts[kind] += count
        if len(self.examples[kind]) < _EXAMPLES:
            self.examples[kind].append(example)

    def figures(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "papers": self.papers,
            "counts": dict(self.counts),
            "examples": {kind: list(found) for kind, found in self.examples.items()},
        }


def paper_faults(paper: Paper) -> list[tuple[str, str]]:
    """The faults of one paper, as (kind, what is wrong) pairs; [] for a sound paper."""
    faults: list[tuple[str, str]] = []
    marked = [a.name for a in paper.authors if has_author_markup(a.name)]
    if marked:
        faults.append(("author_markup", "; ".join(marked)))
    if not paper.github_repos and mentions_github_repository(paper.abstract, paper.comment):
        faults.append(("github_without_code_link", "a repository named in the text"))
    for links in (paper.github_repos, paper.project_pages):
        if len({link_key(url) for url in links}) < len(links):
            faults.append(("duplicate_links", " ".join(links)))
            break
    return faults


def audit_metadata(
    store: PaperStore, progress: Callable[[int], None] | None = None
) -> MetadataReport:
    """Audit every paper of ``store`` (read in batches, memory bounded by the batch).

    ``progress`` is called with the number of papers read so far, every 1,000.
    """
    report = MetadataReport()
    for paper in store.iter_papers():
        report.papers += 1
        for kind, what in paper_faults(paper):
            report.add(kind, f"{paper.id}: {what}")
        if progress is not None and report.papers % 1000 == 0:
            progress(report.papers)
    _organization_variants(store, report)
    return report


def _organization_variants(store: PaperStore, report: MetadataReport) -> None:
    # The store shows each organisation once (its names grouped on read); what is
    # counted here is the spellings its papers still hold, beyond the first one.
    for organization in store.organization_counts():
        spellings: dict[str, list[str]] = defaultdict(list)
        for name in organization.names:
            spellings[organization_key(name)].append(name)
        for names in spellings.values():
            if len(names) > 1:
                report.add("organization_variants", " | ".join(map(repr, names)), len(names) - 1)
