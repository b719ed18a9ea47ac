"""A paper's code as its page shows it: each link, its stars as of a day, renames and
repositories GitHub no longer has, and code hosted elsewhere (shown without stars).

Read from the store only (``code_repos`` and ``paper_stars``), never from GitHub.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from paperwire.ingest.github_client import github_repo_name
from paperwire.model import Paper
from paperwire.store.base import PaperStore

__all__ = ["CODE_HOSTS", "CodeLink", "code_links"]

# Hosts whose links are code, not a project page: shown as code, without stars.
CODE_HOSTS = {
    "gitlab.com": "GitLab",
    "codeberg.org": "Codeberg",
    "huggingface.co": "Hugging Face",
    "bitbucket.org": "Bitbucket",
}


@dataclass(frozen=True, slots=True)
class CodeLink:
    url: str
    host: str  # "GitHub", "GitLab", ...
    stars: int | None = None  # GitHub only: the latest count recorded
    as_of: date | None = None  # the day of that count (None: the count imported with the paper)
    renamed_from: str | None = None
    gone: bool = False


def code_links(store: PaperStore, paper: Paper) -> list[CodeLink]:
    """The paper's GitHub links (the first with its stars), then code on other hosts."""
    links: list[CodeLink] = []
    names = [github_repo_name(url) for url in paper.github_repos]
    states = store.code_repo_states(n for n in names if n)
    history = store.star_history([paper.id]).get(paper.id, [])
    for number, (url, name) in enumerate(zip(paper.github_repos, names, strict=True)):
        state = states.get(name.lower()) if name else None
        stars: int | None = None
        as_of: date | None = None
        if number == 0:
            if history:
                as_of, stars = history[-1]
            else:
                stars = paper.github_stars
        if state is not None and state.renamed and state.current_name:
            links.append(
                CodeLink(f"https://github.com/{state.current_name}", "GitHub", stars, as_of, name)
            )
        else:
            gone = state is not None and state.gone_on is not None
            links.append(CodeLink(url, "GitHub", None if gone else stars, as_of, None, gone))
    for url in paper.project_pages:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if host in CODE_HOSTS and len(segments) >= 2 and segments[0] != "papers":
            links.append(CodeLink(url, CODE_HOSTS[host]))
    return links
