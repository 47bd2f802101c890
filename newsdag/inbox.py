"""Which input files a run has already processed, so a scheduled run reads only new ones.

The data dir records every input file a run processed (articles or rejects) with its
size, modification time and content hash in ``processed.json``. A later run over the same
inbox compares each file's size and mtime with the record and skips it without reading;
a file whose size or mtime changed is hashed, and skipped too when its bytes are the
same. Files are never moved or deleted: the record is the only trace a run leaves in the
inbox's name, and it is written only after the run has published its results.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsdag.inputs import walk
from newsdag.store import Store, atomic_write
from newsdag.tables import Reject

RECORD = "processed.json"
_FORMAT = 1
_BLOCK = 1 << 20


@dataclass(frozen=True)
class FileRecord:
    """A processed input file as it was when the run read it."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass
class Scan:
    """The files under a run's inputs, split into those to read and those already done."""

    pending: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    records: dict[str, FileRecord] = field(default_factory=dict)


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, read in blocks so a large file never sits in memory."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            h.update(block)
    return h.hexdigest()


def key(path: Path) -> str:
    """The record's key: the absolute path, so a relative and an absolute inbox agree."""
    return str(Path(os.path.abspath(path)))


def load(store: Store) -> dict[str, FileRecord]:
    """The processed files recorded in the data dir (none for a new one, or when the
    record is damaged: it only saves work, so every file is then read again, and the
    run writes it anew; ``newsdag doctor`` reports it)."""
    path = store.path(RECORD)
    try:
        data = json.loads(path.read_text("utf-8"))
        return {name: FileRecord(**entry) for name, entry in data["files"].items()}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def damaged(store: Store) -> str | None:
    """What is wrong with the record of processed files, or None."""
    path = store.path(RECORD)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        [FileRecord(**entry) for entry in data["files"].values()]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"damaged ({type(exc).__name__})"
    return None


def save(store: Store, records: dict[str, FileRecord]) -> None:
    """Replace the record in one step, so a crash leaves the previous one."""
    files = {name: asdict(entry) for name, entry in sorted(records.items())}
    atomic_write(store.path(RECORD), json.dumps({"format": _FORMAT, "files": files}, indent=1).encode("utf-8"))


def scan(paths: Iterable[str | os.PathLike], known: dict[str, FileRecord]) -> Scan:
    """Split the files under ``paths`` into pending and unchanged against ``known``.

    Only files whose size or mtime differ from the record are read (to hash them). A file
    that cannot be stat'ed or read stays pending with no record, so ingest rejects it
    with its reason and the next run tries it again; so does an entry that is not a
    regular file (a FIFO, a socket), which is never opened here. A linked folder is left
    out (given as a path of its own it would be walked). Raises NoInputs for a missing path.
    """
    result = Scan(records=dict(known))
    for path in walk(paths):
        if isinstance(path, Reject):
            entry = Path(path.source_path)
            if not (entry.is_symlink() and entry.is_dir()):
                result.pending.append(entry)
            continue
        name = key(path)
        try:
            stat = path.stat()
        except OSError:
            result.pending.append(path)
            continue
        seen = known.get(name)
        if seen is not None and (seen.size, seen.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            result.unchanged.append(path)
            continue
        try:
            digest = file_hash(path)
        except OSError:
            result.pending.append(path)
            continue
        result.records[name] = FileRecord(stat.st_size, stat.st_mtime_ns, digest)
        if seen is not None and seen.sha256 == digest:
            result.unchanged.append(path)
        else:
            result.pending.append(path)
    return result
