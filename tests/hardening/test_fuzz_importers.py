"""Importer fuzzing: real records, mutated, imported beside good ones through the real path.

Seeds are real records: the test fixtures and, where present, the shared data
sets (arXiv API responses, OAI-PMH pages, Hugging Face daily papers, arXiv
listings). Hypothesis builds a batch of good records and mutated ones (fields
dropped or duplicated, wrong types, truncation, random bytes, huge strings,
any unicode, nested garbage, invalid ids and dates), writes it as one file
and runs ``import_paths`` into a real SQLite store. The properties: nothing
escapes the import but the per-record rejection; every good record is
stored; each record with an invalid id is rejected with its location.
Whole-file damage (truncation, random bytes) must end in a clean rejection
too. The figures go to artifacts/hardening/importer_fuzz.json.
"""

from __future__ import annotations

import copy
import gzip
import itertools
import json
import os
import re
import tempfile
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import REPO_ROOT, write_artifact
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperwire.ingest import import_paths
from paperwire.ingest.detect import FORMATS as PARSERS
from paperwire.ingest.importer import ImportReport
from paperwire.store import SQLiteStore

EXAMPLES = 40
SHARED_RECORDS = 150  # seeds taken from each shared data set
INVALID_IDS = ["abc", "12345", "2401.1234567", "../../etc/passwd", "2401.12345vX", " ", "0000.0000"]
BAD_DATES = ["yesterday", "2024-13-45", "9999999-01-01", "2024/01/01", "", "T00:00"]
_TEXT = st.text(st.characters(codec="utf-8"), max_size=80)
_XML_TEXT = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
    ),
    max_size=80,
)

FIXTURES = REPO_ROOT / "tests" / "fixtures"
ODD_TEXT = ["\ud800", "x\udfffy", "\x00", "nul\x00inside", "\ufeff", "\u202etxt", "\U0010ffff"]

FIGURES: dict[str, dict[str, int]] = {}
CRASHES: dict[str, set[str]] = {}  # format -> distinct crashes (type and where raised)


# -- seed records ---------------------------------------------------------------


def _shared(*parts: str) -> Path | None:
    # The shared data sets, read in place where present (as tests/conftest.py finds them).
    configured = os.environ.get("PAPERWIRE_SHARED_DATA")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"
    path = root.joinpath(*parts)
    return path if path.exists() else None


def _jsonl_rows(path: Path, limit: int) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # the fixture's deliberately broken lines are no seeds
    return [row for row in rows if isinstance(row, dict)]


def _hf_api_items() -> list[dict[str, Any]]:
    files = [FIXTURES / "hf_daily_papers.json", FIXTURES / "live" / "hf_daily_2026-08-21.json"]
    files.append(FIXTURES / "web" / "daily_papers.json")
    raw_days = _shared("hf-daily-papers", "raw-days")
    if raw_days is not None:
        files += sorted(raw_days.glob("*.json"))[:4]
    items = [item for f in files for item in json.loads(f.read_text(encoding="utf-8"))]
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("paper"), dict)]


def _hf_rows() -> list[dict[str, Any]]:
    folder = _shared("hf-daily-papers")
    found = sorted(folder.glob("*.jsonl.gz")) if folder else []
    if found:
        return _jsonl_rows(found[0], SHARED_RECORDS)
    # Without the data set: the fixture items in the normalised shape the data set has.
    return [
        {
            "daily_date": "2026-08-21",
            "arxiv_id": item["paper"]["id"],
            "title": item["paper"].get("title"),
            "summary": item["paper"].get("summary"),
            "authors": [a.get("name") for a in item["paper"].get("authors", [])],
            "upvotes": item["paper"].get("upvotes"),
        }
        for item in _hf_api_items()
    ]


def _listing_rows() -> list[dict[str, Any]]:
    rows = [r for r in _jsonl_rows(FIXTURES / "listing_with_broken_line.jsonl", 50) if "id" in r]
    folder = _shared("arxiv-cs")
    found = sorted(folder.glob("*.jsonl.gz")) if folder else []
    if found:
        rows += _jsonl_rows(found[0], SHARED_RECORDS)
    return rows


def _xml_elements(files: list[Path], name: str) -> list[ET.Element]:
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":  # a recorded {"url", "status_code", "body"} response
            text = json.loads(text).get("body", "")
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError:
            continue
        found += [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == name]
    return found


def _atom_entries() -> list[ET.Element]:
    files = [FIXTURES / "live" / "api_window.xml", FIXTURES / "atom_edge_cases.xml"]
    files.append(FIXTURES / "web" / "arxiv_fresh.xml")
    recorded = _shared("fixtures", "arxiv-api")
    if recorded is not None:
        files += sorted(recorded.rglob("*.json")) + sorted(recorded.rglob("*.xml"))
    entries = _xml_elements(files, "entry")
    return [e for e in entries if "/api/errors" not in (_child_text(e, "id") or "")]


def _oai_records() -> list[ET.Element]:
    files = [*sorted((FIXTURES / "live").glob("oai_*.xml")), FIXTURES / "oai_arxivraw.xml"]
    recorded = _shared("fixtures", "arxiv-oai-pmh")
    if recorded is not None:
        files += sorted(recorded.glob("*.xml"))
    return _xml_elements(files, "record")


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in element.iter():
        if child.tag.rsplit("}", 1)[-1] == name:
            return child.text
    return None


# -- one format: how a record is given a new id, mutated and written ------------


@dataclass
class Outcome:
    """What a batch must end as: these ids stored, these locations rejected."""

    good_ids: set[str] = field(default_factory=set)
    must_reject: set[int] = field(default_factory=set)  # record numbers


@dataclass(frozen=True)
class Format:
    name: str
    seeds: Callable[[], list[Any]]
    location: str  # "line", "item", "entry", "record"
    with_id: Callable[[Any, str], Any]
    mutate: Callable[[st.DataObject, Any], tuple[bytes | Any, bool]]
    write: Callable[[list[bytes | Any]], bytes]


def _fresh_ids() -> Iterator[str]:
    for n in itertools.count():
        yield f"2312.{n % 100000:05d}"


_JSON_MUTATIONS = [
    "drop",
    "duplicate",
    "wrong_type",
    "huge",
    "unicode",
    "nested",
    "invalid_id",
    "bad_date",
    "not_an_object",
]
# Damage to a record's text: on its own line it is that line's problem alone; inside
# one JSON document (the API's list) it breaks the whole document, tested apart below.
_LINE_MUTATIONS = [*_JSON_MUTATIONS, "truncate", "random_bytes", "deep_nesting"]


def _line_mutation(data: st.DataObject, record: dict[str, Any]) -> tuple[Any, bool]:
    return _json_mutation(data, record, _LINE_MUTATIONS)


def _item_mutation(data: st.DataObject, record: dict[str, Any]) -> tuple[Any, bool]:
    return _json_mutation(data, record, _JSON_MUTATIONS)


def _json_mutation(
    data: st.DataObject, record: dict[str, Any], kinds: list[str]
) -> tuple[Any, bool]:
    """A mutated copy of ``record`` (or raw bytes for a line), and whether it must be rejected."""
    kind = data.draw(st.sampled_from(kinds))
    record = copy.deepcopy(record)
    target = record["paper"] if isinstance(record.get("paper"), dict) else record
    keys = sorted(target) or ["title"]
    key = data.draw(st.sampled_from(keys))
    text = json.dumps(record).encode("utf-8")
    if kind == "drop":
        target.pop(key, None)
    elif kind == "duplicate":
        doubled = json.dumps(data.draw(_json_value(2)))
        return text[:-1] + f', "{key}": {doubled}}}'.encode(), False
    elif kind == "wrong_type":
        target[key] = data.draw(_json_value(3))
    elif kind == "truncate":
        return text[: data.draw(st.integers(1, max(1, len(text) - 1)))], True
    elif kind == "random_bytes":
        junk = data.draw(st.binary(min_size=1, max_size=30)).replace(b"\n", b" ")
        at = data.draw(st.integers(0, len(text)))
        return text[:at] + junk + text[at:], False
    elif kind == "huge":
        target[key] = data.draw(st.sampled_from(["x", "é", "論文 ", "\u202e"])) * 1_500_000
    elif kind == "unicode":
        target[key] = data.draw(st.one_of(_TEXT, st.sampled_from(ODD_TEXT)))
    elif kind in ("nested", "deep_nesting"):
        depth = data.draw(st.sampled_from([5, 50] if kind == "nested" else [5000, 100_000]))
        nested = b"[" * depth + b"]" * depth
        return text[:-1] + b', "' + key.encode() + b'": ' + nested + b"}", kind != "nested"
    elif kind == "invalid_id":
        id_key = "id" if "id" in target else "arxiv_id"
        target[id_key] = data.draw(st.sampled_from(INVALID_IDS))
        return record, True
    elif kind == "bad_date":
        date_keys = [
            k for k in target if "date" in k.lower() or k.endswith("At") or k == "first_listed"
        ]
        for date_key in date_keys or ["publishedAt"]:
            target[date_key] = data.draw(st.sampled_from(BAD_DATES))
    else:
        return json.dumps(data.draw(_json_value(2))).encode(), True
    return record, False


def _json_value(depth: int) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False),
        _TEXT,
    )
    if depth <= 0:
        return leaves
    return st.one_of(
        leaves,
        st.lists(_json_value(depth - 1), max_size=3),
        st.dictionaries(_TEXT, _json_value(depth - 1), max_size=3),
    )


def _json_line(record: Any) -> bytes:
    return record if isinstance(record, bytes) else json.dumps(record).encode("utf-8")


def _write_lines(records: list[Any]) -> bytes:
    return b"\n".join(_json_line(r) for r in records) + b"\n"


def _write_json_list(records: list[Any]) -> bytes:
    return b"[" + b",\n".join(_json_line(r) for r in records) + b"]"


def _set_json_id(key: str) -> Callable[[Any, str], Any]:
    def with_id(record: dict[str, Any], new_id: str) -> dict[str, Any]:
        record = copy.deepcopy(record)
        if key == "paper.id":
            record["paper"]["id"] = new_id
        else:
            record[key] = new_id
        return record

    return with_id


def _xml_mutation(data: st.DataObject, element: ET.Element) -> tuple[Any, bool]:
    kind = data.draw(
        st.sampled_from(
            ["drop", "duplicate", "text", "huge", "nested", "attribute", "invalid_id", "bad_date"]
        )
    )
    element = copy.deepcopy(element)
    everything = [e for e in element.iter() if e is not element]
    if not everything:
        return element, False
    target = data.draw(st.sampled_from(everything))
    parent = next(p for p in element.iter() if target in list(p))
    if kind == "drop":
        parent.remove(target)
    elif kind == "duplicate":
        parent.append(copy.deepcopy(target))
    elif kind == "text":
        target.text = data.draw(_XML_TEXT)
    elif kind == "huge":
        target.text = "word " * 400_000
    elif kind == "nested":
        node = target
        for _ in range(data.draw(st.sampled_from([3, 50, 400]))):
            node = ET.SubElement(node, data.draw(st.sampled_from(["id", "title", "x", "author"])))
        node.text = data.draw(_XML_TEXT)
    elif kind == "attribute":
        target.set(data.draw(st.sampled_from(["term", "version", "href"])), data.draw(_XML_TEXT))
    elif kind == "invalid_id":
        for node in element.iter():
            if node.tag.rsplit("}", 1)[-1] == "id":
                node.text = data.draw(st.sampled_from(INVALID_IDS[:-1]))
        return element, True
    else:
        for node in element.iter():
            name = node.tag.rsplit("}", 1)[-1]
            if name in ("published", "updated", "created", "date", "datestamp"):
                node.text = data.draw(st.sampled_from(BAD_DATES))
    return element, False


def _set_xml_id(element: ET.Element, new_id: str) -> ET.Element:
    element = copy.deepcopy(element)
    for node in element.iter():
        name = node.tag.rsplit("}", 1)[-1]
        if name == "id" and node.text:
            node.text = re.sub(r"[\w.-]+/?\d{7}|\d{4}\.\d{4,5}", new_id, node.text, count=1)
        elif name == "identifier" and node.text:
            node.text = f"oai:arXiv.org:{new_id}"
    return element


def _xml_writer(open_tag: bytes, close_tag: bytes) -> Callable[[list[Any]], bytes]:
    def write(records: list[Any]) -> bytes:
        body = b"\n".join(ET.tostring(r, encoding="utf-8", xml_declaration=False) for r in records)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + open_tag + body + close_tag

    return write


FORMATS = [
    Format("hf-daily-papers", _hf_api_items, "item", _set_json_id("paper.id"), _item_mutation,
           _write_json_list),
    Format("hf-normalized", _hf_rows, "line", _set_json_id("arxiv_id"), _line_mutation,
           _write_lines),
    Format("arxiv-listing", _listing_rows, "line", _set_json_id("id"), _line_mutation,
           _write_lines),
    Format("arxiv-atom", _atom_entries, "entry", _set_xml_id, _xml_mutation,
           _xml_writer(b'<feed xmlns="http://www.w3.org/2005/Atom">\n', b"\n</feed>\n")),
    Format("oai-pmh", _oai_records, "record", _set_xml_id, _xml_mutation,
           _xml_writer(b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>\n',
                       b"\n</ListRecords></OAI-PMH>\n")),
]  # fmt: skip


# -- the properties --------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _report_figures() -> Iterator[None]:
    yield
    for fmt, crashes in CRASHES.items():
        FIGURES.setdefault(fmt, dict.fromkeys(_COUNTERS, 0))["crashes"] = len(crashes)
    totals = {key: sum(f.get(key, 0) for f in FIGURES.values()) for key in _COUNTERS}
    crashes = {fmt: sorted(found) for fmt, found in CRASHES.items()}
    write_artifact("importer_fuzz", {**totals, "by_format": FIGURES, "crash_sites": crashes})


_COUNTERS = ("batches", "records_fuzzed", "good_records", "mutated_records", "rejected", "crashes")


def _count(fmt: str, **adds: int) -> None:
    figures = FIGURES.setdefault(fmt, dict.fromkeys(_COUNTERS, 0))
    for key, value in adds.items():
        figures[key] += value


@contextmanager
def _imported(content: bytes, fmt: str) -> Iterator[tuple[ImportReport, SQLiteStore, Path]]:
    """Import ``content`` into a fresh store in a folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="pw-fuzz-") as name:
        path = Path(name) / f"batch-{fmt}"
        path.write_bytes(content)
        store = SQLiteStore(Path(name) / "fuzz.db")
        try:
            report = import_paths(store, [path], batch_size=4)
        except Exception as exc:
            # Hypothesis replays a failure many times while shrinking it: count it once.
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            CRASHES.setdefault(fmt, set()).add(
                f"{type(exc).__name__} at {frame.filename}:{frame.lineno}"
            )
            store.close()
            raise
        try:
            yield report, store, path
        finally:
            store.close()


def _seeds(fmt: Format) -> list[Any]:
    """The real records that import cleanly on their own (deleted OAI records do not)."""
    seeds = []
    for seed in fmt.seeds():
        parsed = list(PARSERS[fmt.name](BytesIO(fmt.write([fmt.with_id(seed, "2312.99999")])), "s"))
        if len(parsed) == 1 and getattr(parsed[0], "id", None) == "2312.99999":
            seeds.append(seed)
    assert len(seeds) >= 3, f"too few real {fmt.name} records to fuzz"
    return seeds


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_mutated_records_are_rejected_one_by_one_and_good_ones_kept(fmt: Format) -> None:
    seeds = _seeds(fmt)
    ids = _fresh_ids()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        plan = data.draw(st.lists(st.booleans(), min_size=2, max_size=10), label="mutated?")
        plan[0] = False  # the first record is good: the format is told from it
        records, outcome = [], Outcome()
        for number, mutated in enumerate(plan, start=1):
            seed = data.draw(st.sampled_from(seeds))
            new_id = next(ids)
            record = fmt.with_id(seed, new_id)
            if mutated:
                record, rejected = fmt.mutate(data, record)
                if rejected:
                    outcome.must_reject.add(number)
            else:
                outcome.good_ids.add(new_id)
            records.append(record)
        with _imported(fmt.write(records), fmt.name) as (report, store, path):
            _check_outcome(fmt, report, store, path, outcome, len(records))
        _count(
            fmt.name,
            batches=1,
            records_fuzzed=len(records),
            good_records=len(outcome.good_ids),
            mutated_records=len(records) - len(outcome.good_ids),
            rejected=report.rejected,
        )

    check()


def _check_outcome(
    fmt: Format, report: ImportReport, store: SQLiteStore, path: Path, outcome: Outcome, n: int
) -> None:
    rejected_at = {str(r) for r in report.rejections}
    assert all(r.where.startswith(f"{path}: ") for r in report.rejections), rejected_at
    stored = store.get_papers(outcome.good_ids)
    assert set(stored) == outcome.good_ids, f"good records lost; rejections: {rejected_at}"
    for number in outcome.must_reject:
        where = f"{path}: {fmt.location} {number}"
        assert any(r.where == where for r in report.rejections), (where, rejected_at)
    assert report.records + report.rejected <= n + 1
    assert store.stats().papers <= report.records


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_a_damaged_file_ends_in_a_clean_rejection(fmt: Format) -> None:
    seeds = _seeds(fmt)
    ids = _fresh_ids()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(seeds), min_size=1, max_size=6))
        content = fmt.write([fmt.with_id(seed, next(ids)) for seed in chosen])
        if data.draw(st.booleans(), label="truncate"):
            content = content[: data.draw(st.integers(1, len(content)))]
        else:
            at = data.draw(st.integers(0, len(content)))
            content = content[:at] + data.draw(st.binary(min_size=1, max_size=64)) + content[at:]
        with _imported(content, fmt.name) as (report, store, path):
            assert all(r.where.startswith(str(path)) for r in report.rejections)
            assert store.stats().papers <= report.records <= len(chosen) + 2
        _count(fmt.name, batches=1, records_fuzzed=len(chosen), mutated_records=len(chosen))

    check()
