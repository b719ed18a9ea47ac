"""Code and project links found in abstracts and comments are normalised."""

from __future__ import annotations

import pytest

from paperwire.ingest.links import extract_links, normalize_github


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/owner/repo", "https://github.com/owner/repo"),
        ("http://www.github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("github.com/owner/repo/tree/main/src", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.", "https://github.com/owner/repo"),
        ("https://github.com/owner/my.repo", "https://github.com/owner/my.repo"),
        ("https://github.com/owner", None),
        ("https://github.com/orgs/foo", None),
        ("https://gitlab.com/owner/repo", None),
        (None, None),
    ],
)
def test_normalize_github(url: str | None, expected: str | None) -> None:
    assert normalize_github(url) == expected


def test_extracts_repos_and_pages_in_order_without_duplicates() -> None:
    abstract = (
        "Code: https://github.com/a/b. Also (https://github.com/a/b.git) and "
        "https://github.com/c/d/blob/main/x.py; demo at https://c.github.io/d/, "
        "see www.example.org/page), https://arxiv.org/abs/2401.00001 and "
        "https://doi.org/10.1/x and https://en.wikipedia.org/wiki/Knot_(mathematics)."
    )
    repos, pages = extract_links(abstract, "LaTeX \\url{https://proj.example.com/x}{label}")
    assert repos == ["https://github.com/a/b", "https://github.com/c/d"]
    assert pages == [
        "https://c.github.io/d/",
        "https://www.example.org/page",
        "https://en.wikipedia.org/wiki/Knot_(mathematics)",
        "https://proj.example.com/x",
    ]


def test_no_links() -> None:
    assert extract_links("Plain text, no URL here.", None) == ([], [])
