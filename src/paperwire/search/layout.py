"""Where the search indexes live on disk, and how a new build replaces the old.

    <root>/CURRENT        the name of the live generation (replaced with os.replace)
    <root>/<generation>/  lexical/ (tantivy), vectors/, state.json
    <root>/.lock          held by the one process that writes indexes

A rebuild fills a fresh generation folder and only then points CURRENT at
it, so a build killed half-way leaves the old generation serving. The state
file records the store change seq the generation has reached, written last.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["INDEX_FORMAT", "Generation", "IndexLayout", "IndexState"]

# Bump when the files of a generation change shape (the lexical schema, an
# analyzer, the vector files): older generations are then rebuilt.
INDEX_FORMAT = 6  # 4: author and organisation names folded to ASCII; 5: all text;
# 6: titles word for word (stop words kept, not stemmed), and stored in lexical/titles

_CURRENT = "CURRENT"
_STATE = "state.json"
_PREFIX = "gen-"


@dataclass(slots=True)
class IndexState:
    seq: int = 0  # every store change up to here is in the indexes
    model: str | None = None  # embedding model of the vectors (None: lexical only)
    # The model whose vectors are being made while this lexical-only generation
    # serves; None with model None means keyword-only by choice (--model none).
    pending_model: str | None = None
    dim: int = 0
    format: int = 0  # the INDEX_FORMAT the generation was built with


@dataclass(frozen=True, slots=True)
class Generation:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def lexical_dir(self) -> Path:
        return self.path / "lexical"

    @property
    def vectors_dir(self) -> Path:
        return self.path / "vectors"

    def read_state(self) -> IndexState:
        path = self.path / _STATE
        if not path.is_file():
            return IndexState()
        known = IndexState.__dataclass_fields__
        saved = json.loads(path.read_text(encoding="utf-8"))
        return IndexState(**{k: v for k, v in saved.items() if k in known})

    def write_state(self, state: IndexState) -> None:
        partial = self.path / (_STATE + ".partial")
        with partial.open("w", encoding="utf-8") as out:
            json.dump(asdict(state), out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, self.path / _STATE)


class IndexLayout:
    def __init__(self, root: Path) -> None:
        self.root = root

    def live(self) -> Generation | None:
        """The generation CURRENT names, or None before the first build."""
        pointer = self.root / _CURRENT
        if not pointer.is_file():
            return None
        path = self.root / pointer.read_text(encoding="utf-8").strip()
        return Generation(path) if path.is_dir() else None

    def fresh(self) -> Generation:
        """An empty folder for a new build; not live until ``publish``."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{_PREFIX}{time.time_ns()}"
        path.mkdir()
        return Generation(path)

    def publish(self, generation: Generation) -> None:
        """Make ``generation`` live in one atomic step, then drop the others."""
        partial = self.root / (_CURRENT + ".partial")
        with partial.open("w", encoding="utf-8") as out:
            out.write(generation.name + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, self.root / _CURRENT)
        self.remove_stale()

    def remove_stale(self) -> None:
        """Delete every generation but the live one (call while holding the lock)."""
        live = self.live()
        for path in self.root.glob(f"{_PREFIX}*"):
            if live is None or path != live.path:
                shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Exclusive across processes: only one indexer writes at a time."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
