"""The topical evaluation set: short topic queries over Hugging Face's daily papers.

Built from the shared ``hf-daily-papers`` data into a BEIR-layout folder, so
the same harness as SciFact's runs it:

* corpus: each paper relevant to a query (below), and ``DISTRACTORS`` other
  papers of the file drawn with the seed (so that embedding it takes
  minutes, not most of an hour, on a laptop), title and summary;
* queries: the ``ai_keywords`` Hugging Face attaches to papers, lowercased and
  with white space tidied, that are topics: two to four words, no brackets
  (an expansion such as "large language models (llms)" is a spelling, not a
  topic), carried by at least ``MIN_PAPERS`` and at most ``MAX_PAPERS``
  papers (rarer keywords are one paper's jargon, commoner ones a whole
  field); ``QUERIES`` of them, drawn with a fixed seed;
* judgements: a paper is relevant to a keyword exactly when its own
  ``ai_keywords`` list it (grade 1).

The keywords were extracted from the same abstracts, so this set favours
matching words (BM25); it serves analysis of short topical queries, never
tuning on its own.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import defaultdict
from pathlib import Path

__all__ = [
    "DISTRACTORS",
    "MAX_PAPERS",
    "MIN_PAPERS",
    "QUERIES",
    "SEED",
    "TOPICAL_NAME",
    "build_topical_set",
]

TOPICAL_NAME = "hf-topics"
MIN_PAPERS = 5
MAX_PAPERS = 50
QUERIES = 200
DISTRACTORS = 2000
SEED = 20
_WORDS = (2, 4)


def build_topical_set(daily_papers: Path, out: Path, queries: int = QUERIES) -> Path:
    """Write the BEIR folder ``out`` (corpus.jsonl, queries.jsonl, qrels/test.tsv) from
    the normalised Hugging Face daily papers file(s) in ``daily_papers`` (a folder of
    ``*.jsonl.gz`` or one file); returns ``out``. Raises FileNotFoundError without any."""
    files = sorted(daily_papers.glob("*.jsonl.gz")) if daily_papers.is_dir() else [daily_papers]
    if not files:
        raise FileNotFoundError(f"no Hugging Face daily papers (*.jsonl.gz) in {daily_papers}")
    corpus: dict[str, tuple[str, str]] = {}
    carriers: dict[str, set[str]] = defaultdict(set)
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                paper_id = str(row["arxiv_id"])
                if paper_id in corpus:
                    continue
                corpus[paper_id] = (str(row.get("title") or ""), str(row.get("summary") or ""))
                for keyword in row.get("ai_keywords") or []:
                    topic = _topic(str(keyword))
                    if topic:
                        carriers[topic].add(paper_id)
    eligible = sorted(k for k, ids in carriers.items() if MIN_PAPERS <= len(ids) <= MAX_PAPERS)
    rng = random.Random(SEED)
    chosen = sorted(rng.sample(eligible, min(queries, len(eligible))))
    judged = {paper_id for k in chosen for paper_id in carriers[k]}
    others = sorted(set(corpus) - judged)
    kept = judged | set(rng.sample(others, min(DISTRACTORS, len(others))))
    kept_corpus = {paper_id: text for paper_id, text in corpus.items() if paper_id in kept}
    _write(out, kept_corpus, {f"t{n}": k for n, k in enumerate(chosen)}, carriers)
    return out


def _topic(keyword: str) -> str | None:
    text = " ".join(keyword.lower().split())
    if re.search(r"[()\[\]]", text) or not _WORDS[0] <= len(text.split()) <= _WORDS[1]:
        return None
    return text


def _write(
    out: Path,
    corpus: dict[str, tuple[str, str]],
    queries: dict[str, str],
    carriers: dict[str, set[str]],
) -> None:
    (out / "qrels").mkdir(parents=True, exist_ok=True)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for paper_id, (title, text) in corpus.items():
            handle.write(json.dumps({"_id": paper_id, "title": title, "text": text}) + "\n")
    with (out / "queries.jsonl").open("w", encoding="utf-8") as handle:
        for query_id, text in queries.items():
            handle.write(json.dumps({"_id": query_id, "text": text}) + "\n")
    with (out / "qrels" / "test.tsv").open("w", encoding="utf-8") as handle:
        handle.write("query-id\tcorpus-id\tscore\n")
        for query_id, text in queries.items():
            for paper_id in sorted(carriers[text]):
                handle.write(f"{query_id}\t{paper_id}\t1\n")
