"""Keyphrase extraction: the shared normaliser, the chunker, variant merging, the ranking."""

from __future__ import annotations

import pytest

from paperwire.phrases import phrase_key
from paperwire.understanding.candidates import acronym_definitions, candidates
from paperwire.understanding.keyphrases import extract_keyphrases

ABSTRACT = (
    "Large language models (LLMs) are slow at inference. We propose a speculative "
    "decoding scheme trained with Group Relative Policy Optimization (GRPO) for "
    "Qwen2.5-VL-3B. Experimental results on ScreenSpot-v2 show that speculative "
    "decoding with GRPO doubles the throughput of LLMs, and the proposed method "
    "generalises to other vision-language models."
)
TITLE = "Speculative Decoding for GUI Agents with GRPO"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LLMs", "LLM"),
        ("Large Language Models", "large language model"),
        ("vision-language models", "Vision Language Model"),
        ("policies", "policy"),
        ("Café  analyses", "cafe analyse"),
        ("ScreenSpot-v2", "screenspot v2"),
    ],
)
def test_variants_share_one_key(a: str, b: str) -> None:
    assert phrase_key(a) == phrase_key(b)


@pytest.mark.parametrize("word", ["analysis", "bias", "corpus", "class", "dynamics"])
def test_words_that_only_look_plural_keep_their_s(word: str) -> None:
    assert phrase_key(word) == word


def test_names_are_single_candidates() -> None:
    found = candidates(TITLE, ABSTRACT)
    assert "qwen2.5 vl 3b" in found
    assert found["qwen2.5 vl 3b"].form == "Qwen2.5-VL-3B"
    assert "screenspot v2" in found
    assert found["speculative decoding"].in_title
    assert len(found["speculative decoding"].positions) == 3


def test_generic_phrases_are_not_candidates() -> None:
    found = candidates(TITLE, ABSTRACT)
    assert "proposed method" not in found
    assert "experimental result" not in found
    assert "method" not in found


def test_acronym_definitions_find_their_expansion() -> None:
    assert acronym_definitions(ABSTRACT) == {
        "llm": "Large language models",
        "grpo": "Group Relative Policy Optimization",
    }
    assert acronym_definitions("a Vision Transformer (ViT) backbone") == {
        "vit": "Vision Transformer"
    }
    assert acronym_definitions("results (see Table 2) and (SOTA)") == {}


def test_an_acronym_and_its_expansion_are_one_keyphrase() -> None:
    keys = [k.key for k in extract_keyphrases(TITLE, ABSTRACT, k=50)]
    assert "large language model" in keys
    assert "llm" not in keys
    assert "group relative policy optimization" in keys
    assert "grpo" not in keys
    assert len(keys) == len(set(keys))


def test_top_keyphrases_name_the_paper() -> None:
    top = extract_keyphrases(TITLE, ABSTRACT)
    assert len(top) == 10
    keys = [k.key for k in top]
    assert "speculative decoding" in keys[:5]
    assert "qwen2.5 vl 3b" in keys
    assert [k.score for k in top] == sorted((k.score for k in top), reverse=True)
    shown = {k.key: k.phrase for k in top}
    assert shown["qwen2.5 vl 3b"] == "Qwen2.5-VL-3B"
    assert shown["speculative decoding"] == "speculative decoding"


def test_empty_text_has_no_keyphrases() -> None:
    assert extract_keyphrases("", "") == []
    assert extract_keyphrases("Graph Neural Networks", "")[0].key == "graph neural network"


def test_a_topic_follow_matches_any_spelling_of_the_topic() -> None:
    from paperwire.model import Paper
    from paperwire.rank.follows import describe_follow, follow_matches
    from paperwire.store.personal_records import Follow

    topic = Follow(1, "topic", "large language model")
    by_acronym = Paper("2401.00001", "Faster LLMs", "We make LLMs fast.")
    spelled_out = Paper("2401.00002", "X", "Large-language models, at scale.")
    other = Paper("2401.00003", "Graph kernels", "Kernels on graphs; a language model is not here.")
    assert follow_matches(by_acronym, [topic]) == [topic]
    assert follow_matches(spelled_out, [topic]) == [topic]
    assert follow_matches(other, [topic]) == []
    assert describe_follow(topic) == "about “large language model”, a topic you follow"
