"""Abstract paragraphs as arXiv marks them: a line break followed by leading white space."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from fastapi.testclient import TestClient

from paperwire.ingest import import_paths
from paperwire.ingest.text import clean_paragraphs
from paperwire.store import SQLiteStore
from search_helpers import exported_and_reimported, write_listing
from web_helpers import make_app

# As arXiv's listings carry it: 80-column wraps, a new paragraph indented by two spaces.
ABSTRACT = (
    "Self-supervised video correspondence learning depends on the ability to\n"
    "accurately associate pixels between video frames.\n"
    "  To this end, we propose a matcher that is\n"
    "robust to occlusion.\n"
    "  Code is released."
)
PARAGRAPHS = [
    "Self-supervised video correspondence learning depends on the ability to accurately "
    "associate pixels between video frames.",
    "To this end, we propose a matcher that is robust to occlusion.",
    "Code is released.",
]


def listing(tmp_path: Path) -> Path:
    return write_listing(
        tmp_path / "listing.jsonl", "2503.00001", "Paragraphs", ABSTRACT, categories=["cs.CV"]
    )


def test_paragraphs_are_kept_on_import_page_and_export(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "p.db")
    try:
        import_paths(store, [listing(tmp_path)])
        paper = store.get_paper("2503.00001")
        assert paper is not None and paper.abstract.split("\n\n") == PARAGRAPHS
        with TestClient(make_app(store, None)) as client:
            page = client.get("/papers/2503.00001").text
        assert all(f"<p>{text}</p>" in page for text in PARAGRAPHS)

        assert exported_and_reimported(store, tmp_path, "2503.00001") == paper
    finally:
        store.close()


def test_wraps_alone_make_one_paragraph() -> None:
    assert clean_paragraphs("one line\nwrapped at eighty\ncolumns") == (
        "one line wrapped at eighty columns"
    )
    assert clean_paragraphs("  leading space\nis not a break") == "leading space is not a break"
    assert clean_paragraphs("a\n\n\n  b") == "a\n\nb"


def test_every_indented_abstract_of_the_shared_listings_keeps_its_paragraphs(
    shared_data: Path,
) -> None:
    path = next((shared_data / "arxiv-cs").glob("*.jsonl.gz"))
    marked = kept = 0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            abstract = json.loads(line)["abstract"]
            if "\n " in abstract or "\n\t" in abstract:
                marked += 1
                kept += "\n\n" in clean_paragraphs(abstract)
    assert marked > 2000 and kept == marked
