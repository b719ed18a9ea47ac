"""Find code and project links in an abstract or comment, normalised.

GitHub repositories become ``https://github.com/owner/repo`` (no ``.git``, no
sub-path, no trailing punctuation); other web pages (project sites, demos)
are kept whole, minus trailing punctuation. Links to arXiv and DOIs are not
project pages. Links are found as authors write them in real abstracts too:
a repository without a scheme (``github.com/owner/repo``), a space after the
scheme's colon or after ``github.com/`` (``https: //github.com/owner/repo``),
inside brackets or before a full stop. Two links that differ only by a
trailing slash or by case are one (``model.link_key``).
"""

from __future__ import annotations

import re

from paperwire.model import unique_links

__all__ = ["extract_links", "mentions_github_repository", "normalize_github"]

_URL = re.compile(r"(?:https?://|www\.|(?<![.@/-])github\.com/)[^\s<>\"'{}\\^`|]+", re.IGNORECASE)
# What real abstracts put inside a link (arXiv's text keeps the authors' line breaks
# and spacing): "https: // github. com/ owner/ repo".
_SPACED_SCHEME = re.compile(r"\b(https?):\s*//?\s*", re.IGNORECASE)
_NEXT_SCHEME = re.compile(r"(?<=.)(?=https?://)", re.IGNORECASE)  # "https://githubhttps://..."
_SPACED_GITHUB = re.compile(r"\bgithub\s*\.\s*com\s*/\s*", re.IGNORECASE)
# A word after "github.com/owner/ " that is the sentence going on, not a repository.
_NOT_A_REPO_WORD = r"(?!(?:and|or|soon|the|for|to|in|at|with)\b)"
_SPACED_REPO = re.compile(
    r"(github\.com/[A-Za-z0-9-]+/)\s+" + _NOT_A_REPO_WORD + r"(?=[A-Za-z0-9._-]+)",
    re.IGNORECASE,
)
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
    repos: list[str] = []
    pages: list[str] = []
    for text in texts:
        lowered = (text or "").lower()
        if not text or ("//" not in text and "www." not in lowered and "github." not in lowered):
            continue  # most abstracts have no link: skip the regex scan
        text = _SPACED_SCHEME.sub(r"\1://", text)
        text = _SPACED_REPO.sub(r"\1", _SPACED_GITHUB.sub("github.com/", text))
        for match in _URL.finditer(text):
            for piece in _NEXT_SCHEME.split(match.group(0)):
                url = _strip_trailing(piece)
                repo = normalize_github(url)
                if repo:
                    repos.append(repo)
                elif _is_page(url):
                    pages.append(_with_scheme(url))
    return unique_links(repos), unique_links(pages)


# A repository named in running text however it is spelt ("github. com/ owner/ repo"),
# for counting papers whose links were missed; found by a looser pattern than _URL.
_GITHUB_MENTION = re.compile(
    r"github\s*\.\s*com\s*/\s*(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)\s*/\s*"
    + _NOT_A_REPO_WORD
    + r"(?P<repo>[A-Za-z0-9_.-]*[A-Za-z0-9_-])",
    re.IGNORECASE,
)


def mentions_github_repository(*texts: str | None) -> bool:
    """Whether any of ``texts`` names a GitHub repository (``github.com/owner/repo``),
    with or without a scheme and whatever spaces the authors put inside it."""
    for text in texts:
        for match in _GITHUB_MENTION.finditer(text or ""):
            if match["owner"].lower() not in _NOT_REPOS:
                return True
    return False


def _is_page(url: str) -> bool:
    host = url.split("//")[-1].split("/")[0]
    return not _NOT_PROJECT.match(url) and "." in host and not host.endswith(".")


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
