"""Code and project links found in abstracts and comments are normalised."""

from __future__ import annotations

import pytest

from paperwire.ingest.links import extract_links, mentions_github_repository, normalize_github


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


# Each written as it stands in a real abstract of the shared arXiv listings.
@pytest.mark.parametrize(
    ("text", "repo"),
    [
        ("Code will be at github.com/Xu3XiWang/CAD-GD. CVPR25", "Xu3XiWang/CAD-GD"),
        ("(Code is available at github.com/WeichenFan/CFG-Zero-star)", "WeichenFan/CFG-Zero-star"),
        ("code is available at https: //github.com/HongkLin/TIDE. Accepted", "HongkLin/TIDE"),
        ("available at https://github.com/ elakhatibi/CDF-RAG.", "elakhatibi/CDF-RAG"),
        ("released at https://github.\ncom/Euphoria16/DocMark. CVPR2025", "Euphoria16/DocMark"),
        (
            "https: // github. com/\nyahya-ben/ mplug2-vp-for-nriqa .",
            "yahya-ben/mplug2-vp-for-nriqa",
        ),
        ("The code is available atgithub.com/xmed-lab/TAM. ICCV2025", "xmed-lab/TAM"),
        (
            "at https://githubhttps://github.com/YuhanChen2024/UltraFast-LiNET",
            "YuhanChen2024/UltraFast-LiNET",
        ),
        ("can be found at https:/github.com/GenIntel/3D-SC. 9 pages", "GenIntel/3D-SC"),
        ("(see github.com/owner/repo).", "owner/repo"),
    ],
)
def test_repositories_as_authors_write_them(text: str, repo: str) -> None:
    assert extract_links(text)[0] == [f"https://github.com/{repo}"]


@pytest.mark.parametrize(
    "text",
    [
        "will be available at https://github.com/yongxianLiu/\nsoon.",  # an account, no repository
        "ready to use at https://github.com/Some-Lab/ and https://example.org",
        "mail me at someone@github.com/x/y",
        "the mygithub.company.com/a/b mirror",
    ],
)
def test_no_repository_is_made_up(text: str) -> None:
    assert extract_links(text)[0] == []


def test_links_differing_by_a_slash_or_case_are_one() -> None:
    repos, pages = extract_links(
        "https://github.com/Owner/Repo and github.com/owner/repo; "
        "https://Proj.io/ and http://proj.io and https://www.proj.io/"
    )
    assert repos == ["https://github.com/Owner/Repo"]
    assert pages == ["https://Proj.io/"]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("Code: https://github.com/acme/widget.", True),
        ("Code: https: //github. com/ acme/ widget", True),
        ("(see github.com/acme/widget).", True),
        # An owner's page with the sentence going on is no repository.
        ("will be available at https://github.com/acme/ soon.", False),
        ("at https://github.com/acme/ and https://doi.org/10.1/x", False),
        ("see https://acme.github.io/widget", False),
        ("GitHub hosts many projects.", False),
    ],
)
def test_a_repository_mention_is_found_however_it_is_spelt(text: str, mentions: bool) -> None:
    assert mentions_github_repository(text) is mentions
