"""The query language: what each form parses to, and the clear error for each bad query."""

from __future__ import annotations

from datetime import date

import pytest

from paperwire.search.query import QueryError, parse_query


def test_plain_words_and_phrases() -> None:
    parsed = parse_query('graph "neural networks" learning')
    assert parsed.words == ["graph", "learning"]
    assert parsed.phrases == ["neural networks"]
    assert parsed.text == "graph neural networks learning"
    assert not parsed.filters


@pytest.mark.parametrize(
    "text",
    [
        "2401.12345",
        "2401.12345v3",
        "arXiv:2401.12345",
        "https://arxiv.org/abs/2401.12345v2",
        "arxiv.org/pdf/2401.12345.pdf",
        "https://alphaxiv.org/abs/2401.12345",
        "https://huggingface.co/papers/2401.12345",
        "10.48550/arXiv.2401.12345",
        "https://doi.org/10.48550/arXiv.2401.12345",
        "doi:10.48550/arXiv.2401.12345",
        "(https://arxiv.org/abs/2401.12345).",
    ],
)
def test_arxiv_ids_and_urls(text: str) -> None:
    parsed = parse_query(text)
    assert parsed.arxiv_ids == ["2401.12345"]
    assert not parsed.has_text


def test_old_style_id() -> None:
    assert parse_query("hep-th/9901001 strings").arxiv_ids == ["hep-th/9901001"]


def test_filters_with_quoted_values() -> None:
    parsed = parse_query('author:"Yann  LeCun" cat:cs.LG org:"Meta AI" has:code energy')
    assert parsed.filters.authors == ["Yann LeCun"]
    assert parsed.filters.categories == ["cs.LG"]
    assert parsed.filters.organizations == ["Meta AI"]
    assert parsed.filters.has_code
    assert parsed.words == ["energy"]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("year:2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("from:2024-02", date(2024, 2, 1), None),
        ("to:2024-02", None, date(2024, 2, 29)),
        ("from:2023-05-06 to:2023-05-07", date(2023, 5, 6), date(2023, 5, 7)),
        ("year:2024 from:2024-06", date(2024, 6, 1), date(2024, 12, 31)),
    ],
)
def test_dates(text: str, first: date | None, last: date | None) -> None:
    filters = parse_query(text).filters
    assert (filters.date_from, filters.date_to) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ("?! ...", "empty query"),
        ('"unbalanced quote', "unbalanced quotes"),
        ('title "a" "b', "unbalanced quotes"),
        ("author:", "has no value"),
        ('author:""', "empty value"),
        ('""', "empty phrase"),
        ("has:pdf", "has:pdf is not known"),
        ("year:24", "is not a date"),
        ("year:2024-05", "is not a date"),
        ("from:2024-13", "not a valid date"),
        ("to:2023-02-30", "not a valid date"),
        ("from:2025 to:2024", "date range is empty"),
        ("x" * 1001, "too long"),
    ],
)
def test_bad_queries_raise_query_error(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_non_arxiv_url_is_text() -> None:
    parsed = parse_query("https://example.com/paper")
    assert parsed.words == ["https", "example", "com", "paper"]
    assert parsed.arxiv_ids == []


@pytest.mark.parametrize(
    ("text", "words", "phrases"),
    [
        ("DreamRenderer:Taming multi", ["DreamRenderer", "Taming", "multi"], []),
        ("venue:neurips", ["venue", "neurips"], []),
        ('Note:"this title"', ["Note"], ["this title"]),
        ("Mamba:Linear-Time", ["Mamba", "Linear", "Time"], []),
    ],
)
def test_only_known_filter_names_are_filters(
    text: str, words: list[str], phrases: list[str]
) -> None:
    parsed = parse_query(text)
    assert (parsed.words, parsed.phrases) == (words, phrases)
    assert not parsed.filters and not parsed.arxiv_ids


def test_a_title_colon_is_text() -> None:
    parsed = parse_query("BERT: Pre-training of deep transformers")
    assert parsed.words == ["BERT", "Pre", "training", "of", "deep", "transformers"]
    assert not parsed.filters
    assert parsed.text == "BERT Pre-training of deep transformers"
