"""Sentence splitting and the one-line summary, on sentences taken from real arXiv abstracts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from paperwire.model import Paper
from paperwire.understanding.sentences import split_sentences
from paperwire.understanding.summaries import clean_sentence, summarize, summarize_papers

# Each case: an excerpt of a real abstract (its arXiv id), and the sentences it holds.
SPLITS = [
    (  # 2503.22698: "et al." ends a sentence before a capitalised word
        "decreasing by 12-29%, as reported by Liu et al. GEM employs a Sparse"
        " Cross-Attention Router (SCAR) to dynamically route tokens.",
        ["decreasing by 12-29%, as reported by Liu et al.", "GEM employs a Sparse"],
    ),
    ("Smith et al. (2020) showed this. We extend it.", ["Smith et al. (2020)", "We extend"]),
    (  # 2503.12821
        "the exploration of LVLM (e.g. LLaVA) and more general tasks (e.g. Visual Question"
        " Answering) is limited. We study them.",
        ["the exploration of LVLM (e.g. LLaVA)", "We study"],
    ),
    (  # 2503.12232
        "when evaluated in unseen domains (i.e., new data entities), our L2RW wins. Next.",
        ["when evaluated", "Next."],
    ),
    (  # 2503.11945: math
        "By only fine-tuning text token embeddings $W_*$, we enable watermarking. Our"
        " approach achieves $99\\%$ bit accuracy ($48$ bits) with a $10^5. \\times$ cut.",
        ["By only fine-tuning", "Our approach achieves $99\\%$"],
    ),
    (  # 2503.13188: a URL, its own trailing full stop ending the sentence
        "Our dataset is available at https://www.ipb.uni-bonn.de/data/hops/. We will"
        " provide the implementation.",
        ["Our dataset is available at https://www.ipb.uni-bonn.de/data/hops/.", "We will"],
    ),
    (  # 2505.03470, 2505.02819: figures and equations
        "at various scales during learning (see Fig. 1). This check accelerates learning,"
        " as shown in Fig. 1 and Eq. (2). Overhead is minimal (see Fig.1). We release it.",
        ["at various scales", "This check accelerates", "Overhead is minimal", "We release"],
    ),
    (  # 2503.23547, 2505.22937: version numbers
        "It adds entries for 25k additional words to v1.0. It uses SQuAD v1.1. Leveraging"
        " exploratory data analysis, we win.",
        ["It adds entries", "It uses SQuAD v1.1.", "Leveraging"],
    ),
    (  # 2504.02864, 2504.12308: acronyms
        "contracts filed with the U.S. Securities and Exchange Commission (SEC) between 2000"
        " and 2024. Jurisdictions include India, U.K and U.S. We generate sentences.",
        ["contracts filed with the U.S. Securities", "Jurisdictions include", "We generate"],
    ),
    (  # 2503.22589: an initial
        "the 9,707 ads from the Julian P. Kanter Political Commercial Archive. We conduct"
        " extensive human evaluations.",
        ["the 9,707 ads from the Julian P. Kanter", "We conduct"],
    ),
    (  # 2503.18429: decimals and "vs."
        "the speed of diffusion-based models (Hallo 20.93s vs. Teller 0.92s for one second"
        " video). It gains 83.44%. Done?",
        [
            "the speed of diffusion-based models (Hallo 20.93s vs. Teller",
            "It gains 83.44%.",
            "Done?",
        ],
    ),
    (
        "First paragraph without a stop\n\nSecond one. Third.",
        ["First paragraph", "Second", "Third"],
    ),
]


@pytest.mark.parametrize(("text", "starts"), SPLITS)
def test_sentences_split_where_a_reader_would(text: str, starts: list[str]) -> None:
    found = split_sentences(text)
    assert len(found) == len(starts), found
    for sentence, start in zip(found, starts, strict=True):
        assert sentence.startswith(start), (sentence, start)
        assert text[sentence.start :].startswith(sentence.split()[0])


def test_empty_or_blank_text_has_no_sentence() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []


@pytest.mark.parametrize(
    ("sentence", "cleaned"),
    [
        ("In this paper, we propose X for Y.", "We propose X for Y."),
        ("This paper presents X, a method.", "We present X, a method."),
        ("Here, we introduce X.", "We introduce X."),
        ("To close this gap, we introduce X.", "We introduce X."),
        ("In this work we study X.", "We study X."),
        ("X improves Y.", "X improves Y."),
    ],
)
def test_cleaning_takes_off_the_framing(sentence: str, cleaned: str) -> None:
    assert clean_sentence(sentence) == cleaned


# arXiv 2507.14683 as Hugging Face lists it (title and abstract, shortened).
MIROMIND_TITLE = (
    "MiroMind-M1: An Open-Source Advancement in Mathematical Reasoning via Context-Aware"
    " Multi-Stage Policy Optimization"
)
MIROMIND = (
    "Large language models have recently evolved from fluent text generation to advanced"
    " reasoning across diverse domains, giving rise to reasoning language models. While"
    " closed-source RLMs such as GPT-o3 demonstrate impressive reasoning capabilities, their"
    " proprietary nature limits transparency and reproducibility. To contribute toward greater"
    " transparency in RLM development, we introduce the MiroMind-M1 series, a set of fully"
    " open-source RLMs built on the Qwen-2.5 backbone. Our model achieves state-of-the-art"
    " performance on the AIME24, AIME25, and MATH benchmarks. To facilitate reproducibility,"
    " we release the complete stack at https://github.com/MiroMindAsia/MiroMind-M1."
)


def test_the_summary_is_the_contribution_clause_of_the_abstract() -> None:
    summary = summarize(MIROMIND_TITLE, MIROMIND)
    assert summary == (
        "We introduce the MiroMind-M1 series, a set of fully open-source RLMs built on the"
        " Qwen-2.5 backbone."
    )
    assert summary[3:] in MIROMIND  # extractive: the abstract's own words


def test_a_paper_without_abstract_gets_no_summary() -> None:
    papers = [Paper("2507.14683", MIROMIND_TITLE, MIROMIND), Paper("2501.00001", "Title only")]
    found = summarize_papers(papers)
    assert [paper_id for paper_id, _ in found] == ["2507.14683"]
    assert summarize("T", "") is None


@pytest.mark.slow
def test_every_real_abstract_gets_an_extractive_summary(shared_data: Path) -> None:
    path = shared_data / "arxiv-cs" / "arxiv_cs_daily_2025-03-18_to_2026-07-01.dedup.jsonl.gz"
    with gzip.open(path, "rt") as lines:
        rows = [json.loads(line) for _, line in zip(range(2000), lines, strict=False)]
    for row in rows:
        abstract = " ".join(row["abstract"].split())
        summary = summarize(row["title"], abstract)
        assert summary, row["id"]
        # Only a framing opening is taken off: the rest is the abstract's own words.
        tail = summary.split(" ", 1)[1] if " " in summary else summary
        assert tail[-20:] in abstract, (row["id"], summary)
