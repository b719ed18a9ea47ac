"""Find code and project links in an abstract or comment, normalised.

GitHub repositories become ``https://github.com/owner/repo`` (no ``.git``, no
sub-path, no trailing punctuation); other web pages (project sites, demos)
are kept whole, minus trailing punctuation. Links to arXiv and DOIs are not
project pages.
"""

from __future__ import annotations

import re

__all__ = ["extract_links", "normalize_github"]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'{}\\^`|]+", re.IGNORECASE)
_GITHUB = re.compile(
    r"^(?:https?://)?(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))"
    r"/(?P<repo>[A-Za-z0-9._-]+)",
    re.IGNORECASE,
)
_NOT_PROJECT = re.compile(
    r"^(?:https?://)?(?:www\.|export\.|dx\.)?(?:arxiv\.org|doi\.org|github\.com)(?:/|$)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?]}'\"*"
_NOT_REPOS = {"about", "features", "orgs", "topics", "sponsors", "settings", "login"}


def extract_links(*texts: str | None) -> tuple[list[str], list[str]]:
    """Return (github repositories, project pages) found in the texts, in order, unique."""
    repos: dict[str, None] = {}
    pages: dict[str, None] = {}
    for text in texts:
        if not text or ("://" not in text and "www." not in text.lower()):
            continue  # most abstracts have no link: skip the regex scan
        for match in _URL.finditer(text):
            url = _strip_trailing(match.group(0))
            repo = normalize_github(url)
            if repo:
                repos[repo] = None
            elif not _NOT_PROJECT.match(url) and "." in url.split("//")[-1]:
                pages[_with_scheme(url)] = None
    return list(repos), list(pages)


def normalize_github(url: str | None) -> str | None:
    """``https://github.com/owner/repo`` for any GitHub repository URL, else None."""
    match = _GITHUB.match(_strip_trailing(url or "").strip())
    if not match:
        return None
    owner, repo = match["owner"], match["repo"]
    repo = re.sub(r"\.git$", "", repo).rstrip(".")
    if not repo or owner.lower() in _NOT_REPOS:
        return None
    return f"https://github.com/{owner}/{repo}"


def _strip_trailing(url: str) -> str:
    while True:
        stripped = url.rstrip(_TRAILING)
        # A closing bracket stays only when it pairs with one inside the URL.
        if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
            stripped = stripped[:-1]
        if stripped == url:
            return url
        url = stripped


def _with_scheme(url: str) -> str:
    return url if re.match(r"^https?://", url, re.IGNORECASE) else f"https://{url}"
