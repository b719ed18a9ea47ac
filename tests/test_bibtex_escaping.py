"""BibTeX values: TeX's special characters escaped, accents kept, a title's math kept
only when it is safe to compile, and no value able to leave its braces."""

from __future__ import annotations

import pytest

from paperwire.model import Author, Paper
from paperwire.web.render.bibtex import bibliography, bibtex, tex_escape


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("R&D 100% #1 a_b ~x^y", r"R\&D 100\% \#1 a\_b \textasciitilde{}x\textasciicircum{}y"),
        (r"C:\path {x} $y$", r"C:\textbackslash{}path \textbraceleft{}x\textbraceright{} \$y\$"),
        ("Ünïcödé Łukasz\nnew line", "Ünïcödé Łukasz new line"),
    ],
)
def test_free_text_is_escaped_and_keeps_accents(text: str, escaped: str) -> None:
    assert tex_escape(text) == escaped


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("$\\mu$P for D$^2$iT", "$\\mu$P for D$^2$iT"),
        ("A {BERT} model", "A {BERT} model"),
        ("Read $\\input{/etc/passwd}$ now", "Read \\$\\textbackslash{}input{/etc/passwd}\\$ now"),
        ("$\\def\\x{1}$ & 5%", "\\$\\textbackslash{}def\\textbackslash{}x{1}\\$ \\& 5\\%"),
        ("one } two { three", "one two three"),
    ],
)
def test_titles_keep_safe_math_and_paired_braces(title: str, kept: str) -> None:
    assert tex_escape(title, keep_math=True) == kept


def test_an_entry_never_leaves_its_braces() -> None:
    paper = Paper(
        id="2401.00001",
        title="}} @misc{evil, title={x}",
        authors=[Author("Tom and Jerry"), Author("José } Núñez")],
    )
    text = bibliography([paper], {"2401.00001": "}\n@comment{"})
    assert text.count("@") == 3  # the entry and the two escaped inside its values
    assert text.startswith("@misc{2401.00001,") and text.count("{") == text.count("}")
    assert "author={Tom {and} Jerry and José \\textbraceright{} Núñez}" in text
    assert "note={\\textbraceright{} @comment\\textbraceleft{}}" in bibtex(paper, "}\n@comment{")
