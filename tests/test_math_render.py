"""Math in titles, abstracts and summaries becomes MathML on the server; TeX that
does not convert stays readable; hostile TeX never becomes markup; feeds and the
API keep the source text."""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from paperwire.search.results import Snippet
from paperwire.store import SQLiteStore
from paperwire.web.render import mathml
from paperwire.web.render.mathml import (
    MAX_FORMULA,
    formula_mathml,
    has_math,
    math_html,
    math_spans,
)
from paperwire.web.render.text import abstract_html, snippet_html
from web_helpers import fill_store, make_app

# Titles as arXiv lists them (the shared arXiv set holds both).
MU_P = "$μ$P for Efficient Training of Visual Generation Models"
D2IT = "D$^2$iT: Dynamic Diffusion Transformer for Accurate Image Generation"
OUR_MARKUP = {"math", "span"} | set(mathml._ELEMENTS)


def tags_and_attributes(html: str) -> list[Element]:
    """Every element of ``html`` (which must be well-formed), parsed as XML."""
    return list(fromstring(f"<div>{html}</div>").iter())[1:]


def assert_only_our_markup(html: str) -> None:
    for node in tags_and_attributes(html):
        assert node.tag in OUR_MARKUP, node.tag
        allowed = {"display", "alttext"} if node.tag == "math" else set(mathml._ATTRIBUTES)
        if node.tag == "span":
            allowed = {"class"}
        assert set(node.attrib) <= allowed, (node.tag, node.attrib)


def test_a_real_title_gets_mathml_and_keeps_its_source_as_alttext() -> None:
    html = str(math_html(MU_P))
    assert html.startswith('<math display="inline" alttext="$μ$"><mrow><mi>μ</mi></mrow></math>P ')
    html = str(math_html(D2IT))
    assert html.startswith('D<math display="inline" alttext="$^2$"><mrow><msup><mi></mi><mn>2</mn>')
    assert html.endswith("iT: Dynamic Diffusion Transformer for Accurate Image Generation")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (r"loss $O(n^2)$ here", [False]),
        (r"inline \(x_i\) and display \[\sum_i x_i\]", [False, True]),
        (r"display $$\int_0^1 f$$ math", [True]),
        # Pandoc's rule: a "$" before a space does not open, after a space does not close.
        ("costs $5 and $10 a month", []),
        (r"a dollar sign \$ and $x$", [False]),
    ],
)
def test_spans_are_found_by_their_delimiters(text: str, kinds: list[bool]) -> None:
    assert [span.display for span in math_spans(text)] == kinds


@pytest.mark.parametrize(
    "tex",
    [
        r"\ours",  # an author's own macro
        r"\texttt{<think>}",  # the converter passes the text through as markup
        "a+" * (MAX_FORMULA // 2) + "a",  # too long to try
        "{" * 40 + "x" + "}" * 40,  # too deep to try
        "the model reaches 8 points more than the baseline on",  # a stray "$" paired with another
    ],
)
def test_tex_that_does_not_convert_stays_as_text(tex: str) -> None:
    html = str(math_html(f"see ${tex}$ here"))
    assert "<math" not in html
    assert html.startswith('see <span class="tex">$') and html.endswith("$</span> here")
    assert_only_our_markup(html)


@pytest.mark.parametrize(
    "tex",
    [
        r"\text{<script>alert(1)</script>}",
        r"\href{javascript:alert(1)}{x}",
        r"\style{background:url(//x.io/a)}{x}",
        r"\class{hidden}{x}",
        r"\color{red;background:url(//x.io)}{x}",
        r"\text{&lt;b&gt;}",
        r'x" onmouseover="alert(1)',
    ],
)
def test_hostile_tex_never_becomes_markup_or_attributes(tex: str) -> None:
    html = str(math_html(f"<b>${tex}$</b>"))
    assert html.startswith("&lt;b&gt;") and html.endswith("&lt;/b&gt;")
    assert_only_our_markup(html)
    assert "javascript:" not in html.replace("alttext", "") or 'href="' not in html
    assert "<script" not in html and "style=" not in html and "url(" not in html.split(">", 1)[1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="$\\{}^_()[]<>&\"'ax1 \n", max_size=120))
def test_any_text_renders_as_well_formed_html_with_only_our_markup(text: str) -> None:
    html = str(math_html(text))
    assert_only_our_markup(html)
    # What a reader sees is the text, or the formula's MathML in its place.
    plain = "".join(fromstring(f"<div>{html}</div>").itertext())
    if "<math" not in html:
        assert plain == text


@pytest.mark.parametrize(
    "tex",
    [
        r"\frac{" * 12 + "x" + "}{y}" * 12,
        "x^" * 140 + "x",
        r"\left(" * 60 + "x",
        r"\begin{matrix}" + "a&" * 130 + r"\end{matrix}",
        r"\sqrt[" * 50 + "x",
        r"^_^_{}\\" * 37,
    ],
)
def test_a_pathological_formula_is_answered_quickly(tex: str) -> None:
    formula_mathml.cache_clear()
    started = time.perf_counter()
    math_html(f"${tex[:MAX_FORMULA]}$")
    # Far under a page's budget even on a loaded machine: each took under 10 ms here.
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "\\(" * 20_000,  # openers with no closer: each must not read to the end
        "\\[" * 20_000,
        "$a" * 30_000,  # thousands of formulas: past MAX_SPANS they stay TeX
        "https://x.io/" + ")" * 50_000,
    ],
)
def test_a_hostile_abstract_renders_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    html = str(abstract_html(text))
    assert time.perf_counter() - started < 2.0  # 0.13 s at most here; quadratic took 9 s
    assert html.count("<math ") <= mathml.MAX_SPANS


def test_abstracts_get_mathml_paragraph_by_paragraph() -> None:
    html = str(abstract_html("We bound it by\n$O(n \\log n)$.\n\nAnd $\\ours$ too."))
    assert html.startswith('<p>We bound it by <math display="inline" alttext="$O(n \\log n)$">')
    assert html.endswith('</math>.</p><p>And <span class="tex">$\\ours$</span> too.</p>')


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    store = fill_store(SQLiteStore(tmp_path / "math.db"))
    return TestClient(make_app(store, None))


def test_pages_show_mathml_while_feeds_and_the_api_keep_the_tex(client: TestClient) -> None:
    page = client.get("/papers/2611.00001").text
    assert '<math display="inline" alttext="$L(N) = aN^{-b}$">' in page
    rss = client.get("/feeds/daily.rss").text
    assert "$L(N) = aN^{-b}$" in rss and "<math" not in rss and "&lt;math" not in rss
    api = client.get("/api/papers/2611.00001")
    assert api.status_code == 200
    assert "$L(N) = aN^{-b}$" in api.text and "<math" not in api.text


def _math_texts(shared: Path) -> list[str]:
    texts = []
    with gzip.open(next((shared / "arxiv-cs").glob("*.jsonl.gz")), "rt") as lines:
        for line in lines:
            record = json.loads(line)
            for text in (record["title"], record["abstract"]):
                if "$" in text:
                    texts.append(" ".join(text.split()))
    return texts


@pytest.mark.slow
def test_the_shared_arxiv_math_renders_safely_and_mostly_converts(shared_data: Path) -> None:
    texts = _math_texts(shared_data)
    spans = converted = 0
    for text in texts:
        html = str(math_html(text))
        assert_only_our_markup(html)
        found = len(math_spans(text))
        spans += found
        converted += len(re.findall("<math ", html))
    # arXiv's abstracts use math sparingly and simply: nearly all of it converts.
    assert spans > 10_000 and converted / spans > 0.95


def test_a_highlighted_title_with_math_shows_mathml_and_its_hits() -> None:
    title = "D$^2$iT: Dynamic Diffusion <Transformer>"
    start = title.index("Diffusion")
    html = str(snippet_html(Snippet(title, [(start, start + len("Diffusion"))])))
    assert "<math" in html and "<mark>Diffusion</mark>" in html
    assert "&lt;Transformer&gt;" in html and "$^2$" not in html.split("alttext")[0]


def test_two_prices_are_not_math_but_a_tilde_before_a_number_is() -> None:
    text = "GPT-4o-mini at $1.49 million, then Qwen 2.5 ($1.33M) cheaper"
    assert not has_math(text) and "<math" not in str(math_html(text))
    assert "<math" in str(math_html("trained on $\\sim$8 GPUs"))


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\sim 60\\%", "<mo>\u223c</mo><mn>60</mn><mo>%</mo>"),  # arXiv: "$\sim 60\%$"
        ("p < .001", "<mi>p</mi><mo>&lt;</mo><mn>.001</mn>"),
        ("\\langle a, b \\rangle", "<mo>\u27e8</mo><mi>a</mi>"),
        ("2\\lceil n \\rceil", "<mo>\u2308</mo><mi>n</mi><mo>\u2309</mo>"),
        ("a \\preceq b", "<mi>a</mi><mo>\u2aaf</mo><mi>b</mi>"),
        ("85.3 \\pm 0.2", "<mn>85.3</mn><mo>\u00b1</mo><mn>0.2</mn>"),
    ],
)
def test_operators_and_numbers_are_not_set_as_identifiers(tex: str, expected: str) -> None:
    html = formula_mathml(tex)
    assert html is not None and expected in html


def test_letters_and_symbols_used_as_names_stay_identifiers() -> None:
    html = formula_mathml("\\mathcal{O}(n) + \\pi^{\\bigstar}")
    assert html is not None
    assert "<mi>\U0001d4aa</mi>" in html and "<mi>n</mi>" in html and "<mi>\u2605</mi>" in html
    recall = formula_mathml("\\text{Recall}@10")  # arXiv: "$\\text{Recall}@10$"
    assert recall is not None and "<mi>@</mi>" in recall
