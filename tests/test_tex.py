"""TeX in names, titles and abstracts becomes Unicode, math stays TeX, and name
filters fold accents (arXiv's OAI-PMH records carry TeX where its API gives Unicode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperwire.ingest.records import arxiv_paper, author
from paperwire.ingest.tex import has_tex_macro, tex_to_unicode
from paperwire.model import Paper
from paperwire.search.engine import SearchEngine
from paperwire.store.base import PaperStore
from paperwire.store.merge import merge_papers
from search_helpers import make_paper


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        ("P. Erd\\H{o}s", "P. Erdős"),
        ("J. Ru\\v{z}i\\v{c}ka", "J. Ružička"),
        ("S. {\\O}stergaard", "S. Østergaard"),
        ('G\\"{o}rg', "Görg"),
        ('M\\"uller', "Müller"),
        ("Fran\\c{c}ois", "François"),
        ("Universit\\'e Paris-Saclay", "Université Paris-Saclay"),
        ("Nguy\\~ên", "Nguyễn"),
        ("St\\ütz", "Stütz"),  # a stray backslash before a letter that is Unicode already
        ("{\\em emphasised} text", "emphasised text"),
        ("a \\& b", "a & b"),
        # Math, percent signs, ampersands and URLs as written.
        ("Scaling via $\\mu$P", "Scaling via $\\mu$P"),
        ("D$^2$iT: \\emph{dynamic}", "D$^2$iT: dynamic"),
        ("improves by 50% on \\emph{all}", "improves by 50% on all"),
        ("A & B \\textit{C}", "A & B C"),
        ("see \\url{https://x.io/a%20b}", "see https://x.io/a%20b"),
        ("our \\href{https://x.io/p}{project page}", "our project page (https://x.io/p)"),
        ("plain text, no TeX", "plain text, no TeX"),
        # An author's own macro stays as written (arXiv's page shows it so); the usual
        # abbreviations become text; LaTeX's text macros keep their argument.
        ("we introduce \\method, a model", "we introduce \\method, a model"),
        ("\\ours{} beats \\foo{bar}", "\\ours{} beats \\foo{bar}"),
        ("{\\method} works", "\\method works"),
        ("adapters (\\ie, MOFA-Adapters)", "adapters (i.e., MOFA-Adapters)"),
        ("(\\eg Eikonal loss)", "(e.g. Eikonal loss)"),
        ("Smith \\etal{} showed", "Smith et al. showed"),
        ("valued at \\1 million USD", "valued at 1 million USD"),  # Hugging Face's text
        ("served by \\texttt{vLLM} and \\mbox{SGLang}", "served by vLLM and SGLang"),
        ("{\\bf bold} \\textsf{sans}", "bold sans"),
        ("{\\foo{bar}} baz", "{\\foo{bar}} baz"),  # an own macro in a group: as written
        # TeX's tie is a space; a tilde meaning "about", in math, a path or a URL is not.
        ("2.78~(CIFAR-10) and Transformer~(MVDT)", "2.78 (CIFAR-10) and Transformer (MVDT)"),
        ("found at~https://x.io/a~b", "found at https://x.io/a~b"),
        ("only ~9 tokens, $a~b$, github.com/~ada", "only ~9 tokens, $a~b$, github.com/~ada"),
        ("3~5% of 10~20 GPUs (~10x faster)", "3~5% of 10~20 GPUs (~10x faster)"),
        ("www.cs.x.edu/a~b and J.~Smith", "www.cs.x.edu/a~b and J. Smith"),
        # Other escapes go, and an abbreviation before a full stop has one.
        ("et al.\\@ showed a\\/b", "et al. showed ab"),
        ("models, \\etc. and \\etal. showed", "models, etc. and et al. showed"),
        ("Espa\\~{n}a", "España"),
    ],
)
def test_tex_becomes_unicode(tex: str, text: str) -> None:
    assert tex_to_unicode(tex) == text


def test_one_paper_from_oai_and_the_api_is_the_same_whatever_the_order(
    store: PaperStore,
) -> None:
    def record(names: list[str], title: str, source: str) -> Paper:
        return arxiv_paper(
            "2401.00001v1",
            title,
            abstract="About $\\alpha$.",
            source=source,
            authors=[author(n) for n in names],
        )

    oai = record(["P. Erd\\H{o}s", "J. Ru\\v{z}i\\v{c}ka"], "On Erd\\H{o}s problems", "oai")
    api = record(["P. Erdős", "J. Ružička"], "On Erdős problems", "api")
    assert (oai.authors, oai.title) == (api.authors, api.title)
    assert merge_papers(oai, api).authors == merge_papers(api, oai).authors == api.authors
    store.upsert_papers([oai])
    store.upsert_papers([api])
    stored = store.get_paper("2401.00001")
    assert stored is not None and [a.name for a in stored.authors] == ["P. Erdős", "J. Ružička"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:erdos", "2401.00001"),
        ("author:Erdős", "2401.00001"),
        ('author:"ruzicka"', "2401.00001"),
        ("org:universite", "2401.00002"),
        ('org:"Université Paris-Saclay"', "2401.00002"),
        # Free text folds accents too, both ways.
        ("renyi", "2401.00003"),
        ("Rényi", "2401.00003"),
        ("Hölder", "2401.00004"),
    ],
)
def test_name_filters_fold_accents(
    store: PaperStore, tmp_path: Path, query: str, expected: str
) -> None:
    store.upsert_papers(
        [
            make_paper("2401.00001", "Graphs", "Ramsey.", authors=["Paul Erdős", "J. Ružička"]),
            make_paper("2401.00002", "Lattices", "Codes.", organization="Université Paris-Saclay"),
            make_paper("2401.00003", "Rényi entropy bounds", "Divergences."),
            make_paper("2401.00004", "Inequalities", "A Holder bound for sums."),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    assert [hit.paper_id for hit in engine.search(query).hits] == [expected]


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        # arXiv's other inline and display math delimiters are math too: kept as written.
        (r"over 2\(\times\) faster", r"over 2\(\times\) faster"),
        (r"for \(L\in\{1,\dots,16\}\) layers", r"for \(L\in\{1,\dots,16\}\) layers"),
        (r"the bound \[O(n)\] holds", r"the bound \[O(n)\] holds"),
        # A link's text may hold a macro; a link whose text is its address is shown once.
        (
            r"at this \href{https://github.com/a/b}{\textbf{link}}.",
            "at this link (https://github.com/a/b).",
        ),
        (r"see \href{https://a.org}{https://a.org}", "see https://a.org"),
        # A style macro or a group around a URL (real abstracts) leaves the URL alone.
        (r"on~\textbf{https://github.com/a/b}", "on https://github.com/a/b"),
        (r"at {\textcolor{magenta}{https://github.com/a/b}}.", "at https://github.com/a/b."),
        (
            r"at \texttt{github.com/a/b (https://github.com/a/b)}",
            "at github.com/a/b (https://github.com/a/b)",
        ),
        # A colour says nothing: xcolor's \color[model]{spec} goes, its text stays.
        (
            r"at \href{https://github.com/a/b}{\color[RGB]{175,36,67}{Repo}}.",
            "at Repo (https://github.com/a/b).",
        ),
    ],
)
def test_math_links_and_styles_around_urls(tex: str, text: str) -> None:
    assert tex_to_unicode(tex) == text


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        (r"P. Erd\H{o}s", True),
        (r"S. {\O}stergaard", True),
        (r"caf\'e", True),
        (r"\emph{Note}", True),
        ("max {x, y}", False),  # converted text keeps an escaped brace: not TeX to convert
        (r"$\alpha$ and \(\beta\)", False),  # math is left as written
        ("P. Erdős", False),
    ],
)
def test_has_tex_macro_finds_what_an_import_converts(text: str, holds: bool) -> None:
    assert has_tex_macro(text) is holds
    if not holds:
        return
    converted = tex_to_unicode(text)
    assert not has_tex_macro(converted)
