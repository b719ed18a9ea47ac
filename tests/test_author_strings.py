"""arXiv author strings become authors with their affiliations, by arXiv's rules
(https://info.arxiv.org/help/prep.html, "Authors"), in the formats that carry one
string (OAI-PMH arXivRaw, the announcement feeds); names stored by the old
comma-splitting parser are found and rebuilt; arXiv's listings keep no markup."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from paperwire.ingest.authors import has_author_markup, parse_authors, reparse_authors
from paperwire.ingest.formats.listing import parse_listing
from paperwire.ingest.formats.oai import parse_oai
from paperwire.ingest.formats.rss import Announcement, iter_announcements
from paperwire.model import Author, Paper

FOOTNOTES = (
    "Ana Ruiz (1), Ben Okafor (1 and 2), Chen Wei (2) ((1) Univ. of Somewhere, (2) Some Lab)"
)
UNIV, LAB = "Univ. of Somewhere", "Some Lab"

# (author string, [(name, affiliations)]) as arXiv means them.
CASES = [
    # arXiv's help page, "Authors", example by example.
    (
        "E. L. Grossman, T. Zhou, E. Ben-Naim",
        [("E. L. Grossman", []), ("T. Zhou", []), ("E. Ben-Naim", [])],
    ),
    (
        "Michael Dine, Yosef Nir and Yuri Shirman",
        [("Michael Dine", []), ("Yosef Nir", []), ("Yuri Shirman", [])],
    ),
    (
        "Bill Gates Jr, Fred Bloggs IV, John von Neumann",
        [("Bill Gates Jr", []), ("Fred Bloggs IV", []), ("John von Neumann", [])],
    ),
    (
        "Author One (1), Author Two (1 and 2), Author Three (2) "
        "((1) Institution One, (2) Institution Two)",
        [
            ("Author One", ["Institution One"]),
            ("Author Two", ["Institution One", "Institution Two"]),
            ("Author Three", ["Institution Two"]),
        ],
    ),
    (
        "ABCD Collaboration: Author One, Author Two, Author Three",
        [("ABCD Collaboration", []), ("Author One", []), ("Author Two", []), ("Author Three", [])],
    ),
    (
        "Author One, Author Two, for the ABCD Collaboration",
        [("Author One", []), ("Author Two", []), ("ABCD Collaboration", [])],
    ),
    (
        # Members of the collaboration: arXiv gives both of them the affiliation.
        "Author One, Author Two (the ABCD Collaboration)",
        [("Author One", ["the ABCD Collaboration"]), ("Author Two", ["the ABCD Collaboration"])],
    ),
    # The reported examples.
    (FOOTNOTES, [("Ana Ruiz", [UNIV]), ("Ben Okafor", [UNIV, LAB]), ("Chen Wei", [LAB])]),
    (
        "XYZ Collaboration: Ana Ruiz, Ben Okafor",
        [("XYZ Collaboration", []), ("Ana Ruiz", []), ("Ben Okafor", [])],
    ),
    ("Alan Turing (Univ. of Manchester)", [("Alan Turing", ["Univ. of Manchester"])]),
    ("Ana Ruiz and Ben Okafor", [("Ana Ruiz", []), ("Ben Okafor", [])]),
    (
        "Ana Ruiz, Ben Okafor, and Chen Wei",
        [("Ana Ruiz", []), ("Ben Okafor", []), ("Chen Wei", [])],
    ),
    (
        "Ana Ruiz (1,2), Ben Okafor (1, 2), Chen Wei (1 & 2), Dan Poe (2) ((1) Univ. A, (2) Lab B)",
        [
            ("Ana Ruiz", ["Univ. A", "Lab B"]),
            ("Ben Okafor", ["Univ. A", "Lab B"]),
            ("Chen Wei", ["Univ. A", "Lab B"]),
            ("Dan Poe", ["Lab B"]),
        ],
    ),
    (
        "Alan Turing (Univ. of Manchester, UK) and Grace Hopper (Yale, New Haven, CT)",
        [("Alan Turing", ["Univ. of Manchester, UK"]), ("Grace Hopper", ["Yale, New Haven, CT"])],
    ),
    (
        "Ana Ruiz (Dept. of Physics (DP), Univ. X), Ben Okafor (1) ((1) Lab (Berlin), Germany)",
        [
            ("Ana Ruiz", ["Dept. of Physics (DP), Univ. X"]),
            ("Ben Okafor", ["Lab (Berlin), Germany"]),
        ],
    ),
    ("Bill Gates, Jr., Ana Ruiz", [("Bill Gates Jr.", []), ("Ana Ruiz", [])]),
    # More of the same kind, as real author lines have them.
    (
        "A. Smith, B. Jones (CERN), C. Brown (1), D. Green (2) ((1) MIT, (2) Caltech)",
        [
            ("A. Smith", ["CERN"]),
            ("B. Jones", ["CERN"]),
            ("C. Brown", ["MIT"]),
            ("D. Green", ["Caltech"]),
        ],
    ),
    (
        "Super-Kamiokande Collaboration: K. Abe (1, 2), M. R. Vagins (2, 3) "
        "((1) Kamioka Observatory, (2) Kavli IPMU, (3) UC Irvine)",
        [
            ("Super-Kamiokande Collaboration", []),
            ("K. Abe", ["Kamioka Observatory", "Kavli IPMU"]),
            ("M. R. Vagins", ["Kavli IPMU", "UC Irvine"]),
        ],
    ),
    (
        "Ana Ruiz (1), Ben Okafor (2), (1) Univ. A, Berlin, (2) Lab B",
        [("Ana Ruiz", ["Univ. A, Berlin"]), ("Ben Okafor", ["Lab B"])],
    ),
    ("Ana Ruiz (1-3) ((1) A, (2) B, (3) C)", [("Ana Ruiz", ["A", "B", "C"])]),
    ("Ana Ruiz (MIT) (Harvard)", [("Ana Ruiz", ["MIT", "Harvard"])]),
    ("NVIDIA: Ana Ruiz, Ben Okafor", [("NVIDIA", []), ("Ana Ruiz", []), ("Ben Okafor", [])]),
    ("Ana Ruiz, Ben Okafor, et al.", [("Ana Ruiz", []), ("Ben Okafor", [])]),
    (
        "Ana Ruiz\n  and   Ben Okafor,\n Chen Wei",
        [("Ana Ruiz", []), ("Ben Okafor", []), ("Chen Wei", [])],
    ),
    # TeX stays whole (it is converted on import): no split inside braces or math.
    (
        "J. Ru\\v{z}i\\v{c}ka, P. Erd\\H{o}s and {\\c C}. Kaya",
        [("J. Ru\\v{z}i\\v{c}ka", []), ("P. Erd\\H{o}s", []), ("{\\c C}. Kaya", [])],
    ),
    ("Ana Ruiz$^{1,2}$, Ben Okafor", [("Ana Ruiz$^{1,2}$", []), ("Ben Okafor", [])]),
    ("R\\&D Team: Ana Ruiz", [("R\\&D Team", []), ("Ana Ruiz", [])]),
    ("R&D Team: Ana Ruiz & Ben Okafor", [("R&D Team", []), ("Ana Ruiz", []), ("Ben Okafor", [])]),
    (
        "Ana Ruiz, on behalf of the Pile Team",
        [("Ana Ruiz", []), ("Pile Team", [])],
    ),
    ("The Pile Team: Ana Ruiz", [("The Pile Team", []), ("Ana Ruiz", [])]),
    # Ambiguous: names are kept whole and never hold a parenthesis.
    ("Ana Ruiz (MIT, Ben Okafor", [("Ana Ruiz MIT", []), ("Ben Okafor", [])]),
    ("Ana Ruiz), Ben Okafor", [("Ana Ruiz", []), ("Ben Okafor", [])]),
    ("Ana Ruiz (MIT) Ben Okafor (Yale)", [("Ana Ruiz", ["MIT"]), ("Ben Okafor", ["Yale"])]),
    ("Ana Ruiz (3), Ben Okafor ((1) Univ. A)", [("Ana Ruiz", []), ("Ben Okafor", [])]),
    ("", []),
]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_author_strings_mean_what_arxiv_says(line: str, expected: list) -> None:
    authors = parse_authors(line)
    assert [(a.name, a.affiliations) for a in authors] == expected
    assert not any("(" in a.name or ")" in a.name for a in authors)


# What the parser before this one stored: it split on every comma outside a
# parenthesis that closes before the next one opens, and took "Name (x)" apart.
OLD_OAI = [
    Author("Ana Ruiz (1)"),
    Author("Ben Okafor (1 and 2)"),
    Author("Chen Wei (2) ((1) Univ. of Somewhere"),
    Author("(2) Some Lab)"),
]
OLD_RSS = [
    Author("Ana Ruiz", ["1"]),
    Author("Ben Okafor", ["1 and 2"]),
    Author("Chen Wei (2) ((1) Univ. of Somewhere"),
    Author("(2) Some Lab)"),
]
OLD_COLLABORATION = [Author("XYZ Collaboration: Ana Ruiz"), Author("Ben Okafor")]


@pytest.mark.parametrize(
    "name",
    [
        "Chen Wei (2) ((1) Univ. of Somewhere",
        "(2) Some Lab)",
        "Ana Ruiz (1)",
        "XYZ Collaboration: Ana Ruiz",
        ":",
        "P. Erd\\H{o}s",
        "{\\c C}. Kaya",
        "Ana Ruiz$^{1,2}$",
    ],
)
def test_names_with_markup_are_found(name: str) -> None:
    assert has_author_markup(name)


@pytest.mark.parametrize(
    "name", ["Ana Ruiz", "Bill Gates Jr.", "Jürgen Müller", "GLM-4.5 Team", "李 雷", "O'Neil"]
)
def test_clean_names_have_no_markup(name: str) -> None:
    assert not has_author_markup(name)


@pytest.mark.parametrize("stored", [OLD_OAI, OLD_RSS])
def test_reparse_rebuilds_what_the_old_parser_split(stored: list[Author]) -> None:
    repaired = reparse_authors(stored)
    assert repaired == parse_authors(FOOTNOTES)
    assert not any(has_author_markup(a.name) for a in repaired)
    assert reparse_authors(repaired) is repaired


def test_reparse_splits_a_collaboration_from_its_first_member() -> None:
    assert [a.name for a in reparse_authors(OLD_COLLABORATION)] == [
        "XYZ Collaboration",
        "Ana Ruiz",
        "Ben Okafor",
    ]


def test_reparse_converts_tex_and_drops_separators_as_an_import_does() -> None:
    repaired = reparse_authors([Author("NVIDIA"), Author(":"), Author("P. Erd\\H{o}s (1)")])
    assert [a.name for a in repaired] == ["NVIDIA", "P. Erdős"]


def test_reparse_leaves_a_clean_list_as_it_is() -> None:
    clean = [Author("Ana Ruiz", ["MIT"]), Author("Ben Okafor")]
    assert reparse_authors(clean) is clean


# The parse through each format that carries authors.


def _oai_raw(authors: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record>
<header><identifier>oai:arXiv.org:2609.00001</identifier><datestamp>2026-09-02</datestamp></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2609.00001</id>
<submitter>Ana Ruiz</submitter>
<version version="v1"><date>Tue, 1 Sep 2026 10:00:00 GMT</date><size>100kb</size></version>
<title>Footnotes in Author Lists</title><authors>{authors}</authors>
<categories>cs.DL</categories><abstract>An abstract.</abstract>
</arXivRaw></metadata></record></ListRecords></OAI-PMH>""".encode()


def test_an_arxivraw_record_resolves_footnotes_and_tex() -> None:
    line = (
        "J. Ru\\v{z}i\\v{c}ka (1), P. Erd\\H{o}s (1 and 2),\n C. Wei (2)\n"
        " ((1) Univ. of Somewhere, (2) Some Lab)"
    )
    (paper,) = list(parse_oai(io.BytesIO(_oai_raw(line)), "raw.xml"))
    assert isinstance(paper, Paper), paper
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("J. Ružička", [UNIV]),
        ("P. Erdős", [UNIV, LAB]),
        ("C. Wei", [LAB]),
    ]


def test_an_rss_item_parses_its_creator_line() -> None:
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0"><channel><item>
<title>Footnotes in Author Lists</title><link>https://arxiv.org/abs/2609.00002</link>
<description>arXiv:2609.00002v1 Announce Type: new Abstract: An abstract.</description>
<guid isPermaLink="false">oai:arXiv.org:2609.00002v1</guid><category>cs.DL</category>
<pubDate>Wed, 02 Sep 2026 00:00:00 -0400</pubDate><arxiv:announce_type>new</arxiv:announce_type>
<dc:creator>XYZ Collaboration: {FOOTNOTES}</dc:creator>
</item></channel></rss>""".encode()
    (announcement,) = list(iter_announcements(io.BytesIO(feed), "feed.xml"))
    assert isinstance(announcement, Announcement), announcement
    authors = announcement.paper.authors
    assert [(a.name, a.affiliations) for a in authors] == [
        ("XYZ Collaboration", []),
        ("Ana Ruiz", [UNIV]),
        ("Ben Okafor", [UNIV, LAB]),
        ("Chen Wei", [LAB]),
    ]


@pytest.mark.slow
def test_the_arxiv_listings_have_no_author_markup_left(shared_data: Path) -> None:
    """arXiv's listings split the authors themselves but keep the colon after a
    collaboration as an author ("NVIDIA", ":", ...): 42 papers of the shared set."""
    listing = next((shared_data / "arxiv-cs").glob("*.jsonl.gz"))
    with gzip.open(listing, "rb") as raw:
        rows = {json.loads(line)["id"]: json.loads(line)["authors"] for line in raw}
    with gzip.open(listing, "rb") as raw:
        papers = [p for p in parse_listing(raw, listing.name) if isinstance(p, Paper)]
    assert len(papers) == len(rows)
    with_colon = [p for p in papers if ":" in rows[p.id]]
    assert with_colon, "the shared listings have collaborations written before a colon"
    for paper in with_colon:
        given = rows[paper.id]
        assert [a.name for a in paper.authors][: given.index(":")] == given[: given.index(":")]
        assert len(paper.authors) == len(given) - given.count(":")
    assert not [p.id for p in papers if any(has_author_markup(a.name) for a in p.authors)]
