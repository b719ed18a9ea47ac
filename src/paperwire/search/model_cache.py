"""Files built at first use (models), cached so that no crash leaves a broken one.

A file is built under a temporary name in its own folder and renamed into
place, then a digest of its bytes is written beside it the same way. A file
is used only if it matches its digest: a build killed at any point, or a
file damaged later, is simply built again. Older builds of the same family
(same name prefix, another key) and temporary files left by killed builds are
removed after a successful build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CachedFile", "ensure_built"]

_TEMP_SUFFIX = ".partial"
# A temporary file this old belongs to a build that died: no build takes an hour.
_STALE_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class CachedFile:
    path: Path
    built: bool  # True when this call had to build it
    data: bytes  # its content, checked against its digest


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _write_atomically(final: Path, write: Callable[[Path], object]) -> None:
    """Run ``write(temporary_path)`` then rename into place: no reader sees a partial file."""
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=_TEMP_SUFFIX)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def _read_checked(path: Path) -> bytes | None:
    """The file's bytes if they match the digest written after it, else None."""
    try:
        data = path.read_bytes()
        expected = _digest_path(path).read_text(encoding="ascii").strip()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == expected else None


def _tidy(keep: Path, family: str) -> None:
    now = time.time()
    for entry in keep.parent.iterdir():
        if entry.name.endswith(_TEMP_SUFFIX):
            if now - entry.stat().st_mtime > _STALE_SECONDS:
                entry.unlink(missing_ok=True)
        elif entry.name.startswith(family) and not entry.name.startswith(keep.name):
            entry.unlink(missing_ok=True)


def ensure_built(path: Path, build: Callable[[Path], object], *, family: str) -> CachedFile:
    """``path``'s checked content, after ``build(temporary_path)`` writes it if need be.

    ``family`` is the name prefix shared by every build of the same thing, so
    that superseded builds can be removed.
    """
    if not path.name.startswith(family):
        raise ValueError(f"{path.name} does not start with its family prefix {family!r}")
    data = _read_checked(path)
    if data is not None:
        return CachedFile(path, built=False, data=data)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, build)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    _write_atomically(_digest_path(path), lambda temp: temp.write_text(digest, encoding="ascii"))
    _tidy(path, family)
    return CachedFile(path, built=True, data=data)
