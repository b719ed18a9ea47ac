"""Organisation names without a store: the key of a spelling, the alias table, the name shown,
and which follows an organisation's papers match."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperwire.model import Author, Paper
from paperwire.organizations import (
    AliasTableError,
    canonical_organization,
    known_organization,
    load_organizations,
    organization_key,
    organization_spellings,
    preferred_name,
    same_organization,
)
from paperwire.rank.follows import follow_matches
from paperwire.store.personal_records import Follow

# Pairs seen in Hugging Face's daily papers that differ only by case or spacing.
SPACING_TWINS = [
    (
        "university of science and technology  of china",
        "University of Science and Technology of China",
    ),
    ("Zhejiang university", "Zhejiang University"),
    ("alibaba-inc", "Alibaba-Inc"),
    ("Xiaohongshu ", "Xiaohongshu"),
    ("University of Wisconsin - Madison", "University of Wisconsin-Madison"),
    ("SII - GAIR", "SII-GAIR"),
    ("Shanghai JiaoTong University", "Shanghai Jiao Tong University"),
    ("Sun Yat-Sen University", "Sun Yat-sen University"),
]

# Teams with a Hugging Face organisation of their own, and their parents.
DISTINCT = [
    ("ByteDance", "ByteDance Seed"),
    ("Tencent", "Tencent Hunyuan"),
    ("Microsoft", "Microsoft Research"),
    ("Google", "Google DeepMind"),
    ("KAIST", "KAIST AI"),
    ("Adobe", "Adobe Research"),
    ("The Hong Kong University of Science and Technology", "HKUSTGZ"),
]


@pytest.mark.parametrize(("a", "b"), SPACING_TWINS)
def test_names_differing_only_by_case_or_spacing_share_a_key(a: str, b: str) -> None:
    assert organization_key(a) == organization_key(b)
    assert same_organization(a, b)


def test_the_key_keeps_letters_of_every_script_apart() -> None:
    assert organization_key("台灣大學") != organization_key("香港科技大学")
    assert organization_key("香港科技大学") == "香港科技大学"
    assert organization_key("Tsinghua University") != organization_key("Tsinghua Universities")
    assert organization_key("ETH Zürich") != organization_key("ETH Zurich")  # accents are letters
    assert organization_key(" - ") == ""


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "university of science and technology  of china",
            "University of Science and Technology of China",
        ),
        ("UC Berkeley", "University of California, Berkeley"),
        ("uc  berkeley", "University of California, Berkeley"),
        ("University of California at San Diego", "University of California, San Diego"),
        ("shanghai ailab ", "Shanghai AI Laboratory"),
        ("alibaba-inc", "Alibaba Group"),
        ("Deepmind", "Google DeepMind"),
        ("HKUST", "The Hong Kong University of Science and Technology"),
        ("Mistral AI_", "Mistral AI"),
        ("Acme  Robotics\tLab ", "Acme Robotics Lab"),  # unknown: spacing tidied only
    ],
)
def test_canonical_names(raw: str, canonical: str) -> None:
    assert canonical_organization(raw) == canonical


def test_no_name_gives_no_organisation() -> None:
    assert canonical_organization(None) is None
    assert canonical_organization("   ") is None
    assert canonical_organization("--") is None


@pytest.mark.parametrize(("a", "b"), DISTINCT)
def test_distinct_organisations_stay_distinct(a: str, b: str) -> None:
    assert canonical_organization(a) != canonical_organization(b)
    assert not same_organization(a, b)


def test_the_alias_pair_is_one_organisation() -> None:
    assert same_organization("UC Berkeley", "University of California, Berkeley")
    berkeley = known_organization("uc berkeley")
    assert berkeley is not None and berkeley.name == "University of California, Berkeley"
    assert "UC Berkeley" in organization_spellings("University of California, Berkeley")
    assert organization_spellings("Acme Lab") == ("Acme Lab",)


def test_every_name_of_the_shipped_table_leads_to_its_entry() -> None:
    table = load_organizations()
    entries = {entry.name: entry for entry in table.values()}
    assert len(entries) >= 50
    for entry in entries.values():
        assert canonical_organization(entry.name) == entry.name  # written tidily
        for spelling in entry.spellings:
            assert canonical_organization(spelling) == entry.name


def test_an_all_lowercase_name_is_never_shown_over_a_cased_one() -> None:
    spellings = [("acme robotics lab", 40), ("Acme Robotics Lab", 1), ("ACME Robotics  Lab", 1)]
    assert preferred_name(spellings) == "Acme Robotics Lab"
    assert preferred_name(spellings) == preferred_name(list(reversed(spellings)))
    assert preferred_name([("acme lab", 3), ("Acme Lab", 1)]) == "Acme Lab"
    assert preferred_name([("Acme  Lab", 3), ("Acme Lab", 1)]) == "Acme Lab"  # tidy spacing
    assert preferred_name([("ACME Lab", 3), ("Acme Lab", 1)]) == "ACME Lab"  # most papers
    assert preferred_name([("shanghai ailab ", 24)]) == "Shanghai AI Laboratory"
    with pytest.raises(ValueError, match="at least one"):
        preferred_name([])


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aliases.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_name_under_two_organisations_is_refused(tmp_path: Path) -> None:
    path = _table(
        tmp_path,
        '[[organization]]\nname = "Acme"\nvariants = ["ACME Corp"]\n'
        '[[organization]]\nname = "Acme Labs"\nvariants = ["acme corp."]\n',
    )
    with pytest.raises(AliasTableError, match=r"aliases\.toml.*'acme corp\.'.*'Acme'"):
        load_organizations(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[organization]\nname = 1", "cannot read"),
        ('[[organization]]\nvariants = ["A"]\n', "'name' must be a non-empty string"),
        ('[[organization]]\nname = "A"\nvariants = "B"\n', "must be a list of strings"),
        ('[[organization]]\nname = "A"\nhomepage = "x"\n', "unknown field 'homepage'"),
        ('[[organization]]\nname = " A"\n', "stray white space"),
        ('[[organization]]\nname = "A"\nvariants = ["--"]\n', "empty name"),
        ('organization = "A"\n', "array of tables"),
    ],
)
def test_a_broken_table_says_where(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(AliasTableError, match=message) as raised:
        load_organizations(_table(tmp_path, text))
    assert "aliases.toml" in str(raised.value)


def _paper(organization: str | None, affiliation: str | None = None) -> Paper:
    return Paper(
        id="2608.00001",
        title="A title",
        organization=organization,
        authors=[Author("Ada Lovelace", [affiliation] if affiliation else [])],
    )


@pytest.mark.parametrize(
    ("followed", "paper"),
    [
        ("UC Berkeley", _paper("University of California, Berkeley")),
        ("University of California, Berkeley", _paper("UC Berkeley")),
        ("Shanghai JiaoTong University", _paper("Shanghai Jiao Tong University")),
        ("shanghai ailab", _paper("Shanghai AI Laboratory")),
        ("UC Berkeley", _paper(None, "EECS, University of California, Berkeley")),
    ],
)
def test_an_organisation_follow_matches_any_of_its_names(followed: str, paper: Paper) -> None:
    follow = Follow(1, "organization", followed)
    assert follow_matches(paper, [follow]) == [follow]


def test_an_organisation_follow_does_not_match_another_organisation() -> None:
    follow = Follow(1, "organization", "Google DeepMind")
    assert follow_matches(_paper("Google"), [follow]) == []
    assert follow_matches(_paper("Microsoft"), [Follow(2, "organization", "UC Berkeley")]) == []
