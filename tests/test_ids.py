"""arXiv identifiers: every form people paste parses to the canonical id and version."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperwire.ids import ArxivId, InvalidArxivId, is_arxiv_id, parse_arxiv_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0704.0001", ArxivId("0704.0001")),
        ("1412.9999v3", ArxivId("1412.9999", 3)),
        ("2601.12345", ArxivId("2601.12345")),
        ("arXiv:2401.00001v2", ArxivId("2401.00001", 2)),
        ("ARXIV: 2401.00001", ArxivId("2401.00001")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("math.GT/0309136v1", ArxivId("math/0309136", 1)),
        ("solv-int/9901001v2", ArxivId("solv-int/9901001", 2)),
        ("cond-mat.mes-hall/0401234", ArxivId("cond-mat/0401234")),
        ("https://arxiv.org/abs/2401.00001v2", ArxivId("2401.00001", 2)),
        ("http://arxiv.org/pdf/2401.00001v2.pdf", ArxivId("2401.00001", 2)),
        ("https://arxiv.org/pdf/2401.00001", ArxivId("2401.00001")),
        ("https://export.arxiv.org/abs/hep-th/9901001v1", ArxivId("hep-th/9901001", 1)),
        ("https://www.arxiv.org/html/2401.00001v1/", ArxivId("2401.00001", 1)),
        ("arxiv.org/abs/2401.00001?context=cs", ArxivId("2401.00001")),
        ("  2401.00001  ", ArxivId("2401.00001")),
        # Where else people copy ids from (arXiv's help page "arXiv DOIs" for the DOI).
        ("https://alphaxiv.org/abs/2503.12885", ArxivId("2503.12885")),
        ("https://www.alphaxiv.org/overview/2503.12885v2", ArxivId("2503.12885", 2)),
        ("https://huggingface.co/papers/2503.12885", ArxivId("2503.12885")),
        ("hf.co/papers/2503.12885", ArxivId("2503.12885")),
        ("https://ar5iv.labs.arxiv.org/html/2503.12885", ArxivId("2503.12885")),
        ("10.48550/arXiv.2503.12885", ArxivId("2503.12885")),
        ("doi:10.48550/ARXIV.2503.12885", ArxivId("2503.12885")),
        ("https://doi.org/10.48550/arXiv.2503.12885", ArxivId("2503.12885")),
        ("https://doi.org/10.48550/arXiv.hep-th/9901001", ArxivId("hep-th/9901001")),
        ("arXiv:2503.12885 [cs.CV]", ArxivId("2503.12885")),
        ("arXiv:2503.12885v2 [cs.CV]", ArxivId("2503.12885", 2)),
        ("arXiv:hep-th/9901001v1 [hep-th]", ArxivId("hep-th/9901001", 1)),
        # Punctuation a sentence or markup leaves around a pasted id.
        ("https://arxiv.org/abs/2503.12885.", ArxivId("2503.12885")),
        ("https://arxiv.org/abs/2503.12885)", ArxivId("2503.12885")),
        ("(arXiv:2503.12885).", ArxivId("2503.12885")),
        ("<https://arxiv.org/pdf/2503.12885v1.pdf>", ArxivId("2503.12885", 1)),
        ("“2503.12885”,", ArxivId("2503.12885")),
    ],
)
def test_accepted_forms(text: str, expected: ArxivId) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "0703.0001",  # new-style ids start in April 2007
        "1501.1234",  # 4 digits after 2014
        "1412.12345",  # 5 digits before 2015
        "2413.00001",  # month 13
        "2401.00001v0",
        "hep-th/9913001",
        "https://example.org/abs/2401.00001",
        "https://arxiv.org/list/cs.LG/new",
        "https://huggingface.co/models/2503.12885",
        "10.1000/arXiv.2503.12885",  # another registrant's DOI
        "DreamRenderer:Taming",
        "2503.12885 diffusion",
    ],
)
def test_rejected_forms(text: str) -> None:
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)
    assert not is_arxiv_id(text)


new_style = st.builds(
    lambda yy, mm, n, v: (f"{yy:02d}{mm:02d}", n, v),
    st.integers(15, 99),
    st.integers(1, 12),
    st.integers(0, 99999),
    st.one_of(st.none(), st.integers(1, 50)),
)


@given(
    new_style,
    st.sampled_from(["", "arXiv:", "https://arxiv.org/abs/", "http://export.arxiv.org/pdf/"]),
)
def test_new_style_round_trip(parts: tuple[str, int, int | None], prefix: str) -> None:
    yymm, number, version = parts
    canonical = f"{yymm}.{number:05d}"
    text = prefix + canonical + (f"v{version}" if version else "")
    parsed = parse_arxiv_id(text)
    assert parsed == ArxivId(canonical, version)
    assert parse_arxiv_id(parsed.versioned) == parsed


@given(
    st.sampled_from(["hep-th", "math", "cond-mat", "astro-ph", "solv-int", "quant-ph"]),
    st.integers(91, 99) | st.integers(0, 7),
    st.integers(1, 12),
    st.integers(0, 999),
    st.one_of(st.none(), st.integers(1, 9)),
)
def test_old_style_round_trip(
    archive: str, yy: int, mm: int, number: int, version: int | None
) -> None:
    canonical = f"{archive}/{yy:02d}{mm:02d}{number:03d}"
    parsed = parse_arxiv_id(canonical + (f"v{version}" if version else ""))
    assert parsed == ArxivId(canonical, version)


@given(st.text(max_size=40))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        return
    assert parse_arxiv_id(parsed.versioned) == parsed
