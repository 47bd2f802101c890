"""Checking the files of a data dir before they are trusted, and healing what is damaged.

A Parquet part ends with its footer and the magic bytes ``PAR1``; a part cut short (a
full disk, a copy interrupted, a file system fault) has lost them. :func:`part_problem`
checks that cheaply (size, head and tail) and, with ``deep``, by reading the footer.
A run calls :func:`heal` before it plans: a damaged part of a stage is deleted, so the
stage's cache record no longer counts and the chunk is recomputed from the caches; a
chunk whose articles part is damaged is dropped, so its articles are read again from
their inputs. ``newsdag doctor`` reports the same findings and more.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsdag.errors import PartProblems as P
from newsdag.store import Manifest, Store
from newsdag.tables import SCHEMAS

_MAGIC = b"PAR1"


def part_problem(path: Path, *, deep: bool = False) -> str | None:
    """What is wrong with the Parquet file at ``path``, or None when it looks whole."""
    try:
        size = path.stat().st_size
        if size < 12:
            return P.SHORT.format(size=size)
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(-8, os.SEEK_END)
            tail = fh.read(8)
    except FileNotFoundError:
        return P.MISSING
    except OSError as exc:
        return P.UNREADABLE.format(why=exc.strerror or exc)
    footer = int.from_bytes(tail[:4], "little")
    if head != _MAGIC or tail[4:] != _MAGIC or footer + 12 > size:
        return P.NO_FOOTER.format(size=size)
    if deep:
        try:
            pq.read_metadata(path)
        except (pa.ArrowException, OSError) as exc:
            return P.BAD_FOOTER.format(why=str(exc).splitlines()[0])
    return None


def docs_problem(path: Path) -> str | None:
    """What is wrong with a stage's cached docs (a zip archive), or None."""
    if not path.exists():
        return P.MISSING
    try:
        return None if zipfile.is_zipfile(path) else P.NOT_DOCS
    except OSError as exc:
        return P.UNREADABLE.format(why=exc.strerror or exc)


def file_ok(path: Path) -> bool:
    """Can a run trust the file at ``path`` (a part or cached docs)?"""
    if path.suffix == ".parquet":
        return part_problem(path) is None
    if path.suffix == ".spacy":
        return docs_problem(path) is None
    return path.exists()


def damaged_files(store: Store, manifest: Manifest, *, deep: bool = False) -> dict[str, str]:
    """Every live file (part or segment) of the manifest that is damaged, with the problem.
    A part held by a live segment has no file of its own, and is checked in the segment."""
    held = manifest.held()
    files = {held.get(p, p) for t in SCHEMAS for p in manifest.parts(t)}
    problems = {}
    for relative in sorted(files):
        problem = part_problem(store.path(relative), deep=deep)
        if problem is not None:
            problems[relative] = problem
    return problems


def heal(store: Store, *, deep: bool = False) -> dict[str, str]:
    """Make the manifest name only whole files; return what was damaged (file -> problem).

    A damaged segment is forgotten (its parts' own files are gone); a damaged stage part
    is deleted, so the next run recomputes it; a chunk whose articles part is damaged or
    gone is dropped; a damaged rejects part is forgotten. The views are left to the
    publish that follows. Call under the writer lock.
    """
    manifest = store.load_manifest()
    damaged = damaged_files(store, manifest, deep=deep)
    if not damaged:
        return {}
    for segment in [s for s in manifest.segments if s in damaged]:
        del manifest.segments[segment]
    held = manifest.held()
    for chunk_id, chunk in list(manifest.chunks.items()):
        articles = chunk.parts.get("articles")
        if articles is None or (articles not in held and part_problem(store.path(articles)) is not None):
            del manifest.chunks[chunk_id]
    if manifest.rejects in damaged:
        manifest.rejects = None
    for relative in damaged:
        store.path(relative).unlink(missing_ok=True)
    store.save_manifest(manifest)
    return damaged


def stale_chunks(store: Store, manifest: Manifest) -> set[str]:
    """Published chunks with a part that cannot be read: a run recomputes them."""
    held = manifest.held()
    return {
        chunk_id
        for chunk_id, chunk in manifest.chunks.items()
        if any(p not in held and not file_ok(store.path(p)) for p in chunk.parts.values())
    }
