"""What people type: questions (stop words), known titles (with a typo), and topics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwire.search.engine import MODES, SearchEngine
from paperwire.search.known_items import TitleMatch, edit_distance_at_most_one, title_match
from paperwire.search.lexical import title_tokens
from paperwire.search.retrieval import find_known_items
from paperwire.search.stopwords import content_words, is_stop_word
from paperwire.store.base import PaperStore
from search_helpers import HashingEmbedder, make_paper

PAPERS = [
    make_paper(
        "2401.00001",
        "How Do I Do That? Synthesizing 3D Hand Motion",
        "We synthesize hand motion for what people do with objects.",
    ),
    make_paper(
        "2401.00002",
        "Faster Sampling for Diffusion Models",
        "Diffusion models sample slowly; we cut the number of denoising steps.",
    ),
    make_paper("2401.00003", "To Be or Not to Be", "Existence questions in language models."),
    make_paper(
        "2401.00004",
        "Attention Is All You Need",
        "The Transformer, a network architecture based solely on attention mechanisms.",
    ),
    make_paper(
        "2401.00005",
        "Attention mechanisms in recurrent networks: a survey",
        "Attention is all over recurrent networks; you need a survey of attention.",
    ),
    make_paper(
        "2401.00006",
        "Efficient Transformers for Long Documents with Sparse Attention",
        "Attention is all you need, they said, but long documents need sparse attention.",
        categories=["cs.CL"],
    ),
]


@pytest.fixture
def engine(store: PaperStore, tmp_path: Path) -> SearchEngine:
    store.upsert_papers(PAPERS)
    built = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    built.update()
    return built


def first(engine: SearchEngine, query: str, mode: str) -> str:
    return engine.search(query, mode=mode).hits[0].paper_id


# -- questions: stop words do not decide a ranking ------------------------------


def test_question_words_are_stop_words_but_content_words_are_not() -> None:
    assert is_stop_word("How") and is_stop_word("do") and is_stop_word("I")
    assert not is_stop_word("diffusion") and not is_stop_word("not")
    assert content_words(["how", "do", "I", "make", "diffusion", "faster"]) == [
        "diffusion",
        "faster",
    ]


def test_a_query_of_stop_words_only_keeps_them_all() -> None:
    assert content_words(["to", "be", "or", "to", "be"]) == ["to", "be", "or", "to", "be"]
    assert content_words(["To", "Be", "or", "Not", "to", "Be"]) == ["Not"]


def test_a_question_is_ranked_by_its_content_words(engine: SearchEngine) -> None:
    found = [
        hit.paper_id
        for hit in engine.search("how do I make diffusion models faster", mode="bm25").hits
    ]
    assert found[0] == "2401.00002"
    assert "2401.00001" not in found  # shares only "how do I do"


def test_a_title_of_stop_words_is_found(engine: SearchEngine) -> None:
    for mode in MODES:
        assert first(engine, "To Be or Not to Be", mode) == "2401.00003"
    assert first(engine, "to be or not to be", "bm25") == "2401.00003"


def test_a_quoted_phrase_of_question_words_still_matches(engine: SearchEngine) -> None:
    found = engine.search('"how do I do that"', mode="bm25").hits
    assert [hit.paper_id for hit in found] == ["2401.00001"]


# -- known items ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ("attention is all you need", "Attention Is All You Need", TitleMatch.WHOLE),
        ("attention is all you nede", "Attention Is All You Need", TitleMatch.WHOLE_TYPO),
        ("atention is all you need", "Attention Is All You Need", TitleMatch.WHOLE_TYPO),
        (
            "efficient transformers for long",
            "Efficient Transformers for Long Documents with Sparse Attention",
            TitleMatch.PART,
        ),
        (
            "efficient transfromers for long",
            "Efficient Transformers for Long Documents with Sparse Attention",
            TitleMatch.PART_TYPO,
        ),
        (
            "long documents with sparse attention",
            "Efficient Transformers for Long Documents with Sparse Attention",
            TitleMatch.NONE,
        ),
        (
            "transformers for long documents with sparse attention",
            "Efficient Transformers for Long Documents with Sparse Attention",
            TitleMatch.PART,
        ),
        (
            "efficient transformers",
            "Efficient Transformers for Long Documents with Sparse Attention",
            TitleMatch.NONE,
        ),
        ("attention", "Attention", TitleMatch.NONE),
        ("attenton is al you need", "Attention Is All You Need", TitleMatch.NONE),  # two typos
        ("is al you need", "Is All You Need", TitleMatch.NONE),  # a typo in a short word
    ],
)
def test_title_match_rules(query: str, title: str, expected: TitleMatch) -> None:
    assert title_match(title_tokens(query), title_tokens(title)) is expected


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("transformer", "transfromer", True),
        ("transformer", "transformers", True),
        ("transformer", "tansformer", True),
        ("transformer", "transfxrmer", True),
        ("transformer", "tarnsfromer", False),
        ("need", "neda", False),
    ],
)
def test_one_edit_including_a_swap(a: str, b: str, near: bool) -> None:
    assert edit_distance_at_most_one(a, b) is near
    assert edit_distance_at_most_one(b, a) is near


TYPED_TITLES = {
    "Attention Is All You Need": "2401.00004",
    "attention is all you need": "2401.00004",
    "Atention Is All You Need": "2401.00004",
    "Efficient Transformers for Long Documents": "2401.00006",
    "Efficient Transformers for Long Documents with Sparse Atention": "2401.00006",
}


def test_a_typed_title_brings_its_paper_first_in_every_mode(engine: SearchEngine) -> None:
    found = {(q, mode): first(engine, q, mode) for q in TYPED_TITLES for mode in MODES}
    assert found == {(q, mode): TYPED_TITLES[q] for q in TYPED_TITLES for mode in MODES}


def test_a_topic_is_not_taken_for_a_title(engine: SearchEngine) -> None:
    plain = engine.search("attention", mode="bm25").hits
    assert plain[0].paper_id != "2401.00004"  # the papers that say it most come first


def test_a_filter_keeps_a_known_item_out_when_it_does_not_pass(engine: SearchEngine) -> None:
    found = [hit.paper_id for hit in engine.search("Attention Is All You Need cat:cs.CL").hits]
    assert found and "2401.00004" not in found


def test_the_whole_title_goes_before_a_title_it_starts(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(
        [
            make_paper("2401.00011", "Graph Neural Networks for Molecules and Proteins", "x"),
            make_paper("2401.00012", "Graph Neural Networks for Molecules", "y"),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    found = [h.paper_id for h in engine.search("graph neural networks for molecules").hits]
    assert found[:2] == ["2401.00012", "2401.00011"]
    typo = [h.paper_id for h in engine.search("Graph Neural Netwroks for Molecules and").hits]
    assert typo[0] == "2401.00011"  # a start with one typo


def _typed_with_typo(title: str, position: int) -> str:
    """``title`` with its word at ``position`` misspelt by one dropped letter."""
    words = title.split()
    words[position] = words[position][:2] + words[position][3:]
    return " ".join(words)


def test_a_typo_in_any_word_of_at_least_four_letters_still_finds_the_title(
    store: PaperStore, tmp_path: Path
) -> None:
    # Decoys share every word but one with the target, so the typed title's rarest
    # words are the ones a typo may spoil: the lookup must not lean on any one word.
    target = "Sparse Mixture Routing for Multilingual Speech Recognition Models"
    decoys = [
        " ".join(w for j, w in enumerate(target.split()) if j != i) + " Revisited"
        for i in range(len(target.split()))
    ]
    papers = [make_paper("2402.00001", target, "x")]
    papers += [make_paper(f"2402.{i + 2:05d}", t, "y") for i, t in enumerate(decoys)]
    papers += [make_paper(f"2402.1{i:04d}", f"Speech Models for Task {i}", "z") for i in range(40)]
    store.upsert_papers(papers)
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    for position, word in enumerate(target.split()):
        if len(word) < 4:
            continue
        query = _typed_with_typo(target, position)
        assert find_known_items(engine.live_lexical(), query) == ["2402.00001"], query
        assert first(engine, query, "bm25") == "2402.00001", query


def test_a_typo_that_spells_a_rarer_word_still_finds_the_title(
    store: PaperStore, tmp_path: Path
) -> None:
    # "Long" -> "Song" is one edit, and "song" is in one title only while the other
    # words are in two: the rarest word of the typed title is the one the typo made.
    store.upsert_papers(
        [
            *PAPERS,
            make_paper(
                "2401.00098", "Sparse Attention with Efficient Transformers for Documents", "z"
            ),
            make_paper("2401.00099", "Song Lyrics Generation", "z"),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    query = "Efficient Transformers for Song Documents with Sparse Attention"
    assert find_known_items(engine.live_lexical(), query) == ["2401.00006"]


def test_results_say_whether_any_paper_holds_the_words(engine: SearchEngine) -> None:
    gibberish = engine.search("qzxv wkjhg", mode="hybrid")
    assert gibberish.hits and gibberish.words_found is False  # only close in meaning
    assert engine.search("qzxv wkjhg", mode="bm25").words_found is False
    assert engine.search("diffusion models", mode="hybrid").words_found is True
    assert engine.search("diffusion models", mode="dense").words_found is None  # not asked
    assert engine.search("cat:cs.CL").words_found is None  # no words
    assert engine.search("diffusion cat:cs.CL").words_found is None  # filters narrow it
    assert engine.search("Faster Sampling for Diffusion Models cat:cs.CL").words_found is None
    assert engine.search("how do I").words_found is None  # question words only
    assert engine.search("2401.00002 qzxv").words_found is None  # the named paper holds it


def test_a_short_whole_title_with_a_typo_is_still_found(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(
        [
            make_paper("2403.00001", "Segment Anything Model", "x"),
            make_paper("2403.00002", "Graph Transformers", "y"),
            make_paper("2403.00003", "Segment Anything in Videos with Memory", "z"),
            make_paper("2403.00004", "Graph Neural Networks and Transformers Compared", "z"),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    lexical = engine.live_lexical()
    assert find_known_items(lexical, "Segment Anything Modle") == ["2403.00001"]
    assert find_known_items(lexical, "Segmnt Anything Model") == ["2403.00001"]
    assert find_known_items(lexical, "Graph Transfomers") == ["2403.00002"]
    assert find_known_items(lexical, "graph transformers") == ["2403.00002"]
    assert find_known_items(lexical, "anything model") == []  # a topic, not a title


@pytest.mark.parametrize("sort", ["date", "upvotes"])
def test_sorted_by_date_or_upvotes_only_papers_holding_the_words(
    engine: SearchEngine, sort: str
) -> None:
    # Hybrid relevance also ranks the papers only close in meaning; sorted by date
    # or upvotes they would come first for being new or popular, whatever they are about.
    sorted_ = engine.search("diffusion", sort=sort, mode="hybrid")
    assert [h.paper_id for h in sorted_.hits] == ["2401.00002"] and sorted_.total == 1
    titled = engine.search("Faster Sampling for Diffusion Models", sort=sort, mode="dense").hits
    assert len(titled) == len(PAPERS)  # dense mode: every neighbour, sorted, not the title alone
    anything = engine.search("qzxv wkjhg", sort=sort, mode="hybrid").hits
    assert anything  # no paper holds those words: the neighbours, sorted


def test_an_authors_name_brings_that_authors_papers_first_newest_first(
    store: PaperStore, tmp_path: Path
) -> None:
    lecun = "Yann LeCun"
    store.upsert_papers(
        [
            make_paper(
                "2404.00001", "Energy Based Models", "x", [lecun], published=date(2024, 1, 2)
            ),
            make_paper("2404.00002", "Joint Embeddings", "y", [lecun], published=date(2024, 3, 4)),
            # These say the name most: BM25 and the dense side rank them first.
            make_paper(
                "2404.00003",
                "Convolutional Networks",
                "LeCun's nets, as Yann LeCun and LeCun",
                ["Ada"],
            ),
            make_paper("2404.00004", "On Yann LeCun's Views", "Yann LeCun LeCun LeCun", ["Bob"]),
            make_paper("2404.00005", "Graphs", "z", ["Xiao Yang Liu"]),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    for mode in MODES:
        found = engine.search("yann lecun", mode=mode)
        assert found.author == lecun, mode
        assert [h.paper_id for h in found.hits][:2] == ["2404.00002", "2404.00001"], mode
    assert engine.search("Yang Liu").author is None  # only inside a longer name
    # Older than Xiao Yang Liu's paper: only the very name's papers go first.
    older = make_paper("2404.00006", "Spiking", "w", ["Yang Liu"], published=date(2023, 1, 2))
    store.upsert_papers([older])
    engine.update()
    both = engine.search("yang liu", per_page=3)
    assert both.author == "Yang Liu" and both.hits[0].paper_id == "2404.00006"
    assert engine.search("energy based models").author is None  # a topic
    assert engine.search("yann lecun", sort="date").author is None  # sorted: no reordering


def test_a_rare_word_brings_the_few_papers_that_say_it_first(
    store: PaperStore, tmp_path: Path
) -> None:
    # A surname alone: only the authors field says it, and the dense side knows nothing
    # of it, so in hybrid mode its neighbours would outrank every paper that holds it.
    papers = [
        make_paper(f"2405.{i:05d}", f"Topic {i} of networks", f"dense text {i}", ["Ada"])
        for i in range(120)
    ]
    papers += [make_paper("2405.09001", "Recurrent memory", "x", ["Juergen Schmidhuber"])]
    store.upsert_papers(papers)
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    first = engine.search("Schmidhuber", mode="hybrid", per_page=5)
    assert first.hits[0].paper_id == "2405.09001"
    # The count does not grow as one pages deeper.
    assert engine.search("networks", page=3, per_page=5).total == engine.search("networks").total


def test_sorted_by_date_every_word_of_the_query(store: PaperStore, tmp_path: Path) -> None:
    store.upsert_papers(
        [
            make_paper("2406.00001", "Speculative decoding", "x", published=date(2024, 1, 1)),
            make_paper("2406.00002", "Greedy decoding", "y", published=date(2024, 6, 1)),
        ]
    )
    engine = SearchEngine(store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    found = engine.search("speculative decoding", sort="date", mode="hybrid")
    assert [h.paper_id for h in found.hits] == ["2406.00001"]  # not the newer "decoding"
