"""What counts as an input file: one rule for discovery, the inbox scan and the readers.

An input is a regular file (or a link to one) under the paths of a run, not hidden.
Never inputs:

- a newsdag data dir (a folder holding ``manifest.json``, ``newsdag.duckdb``, the
  writer lock ``.lock`` or a ``tables/articles`` folder): its files are newsdag's own output, so a data dir inside an
  input folder is skipped, and given as an input path it is an error;
- anything that is not a regular file (a FIFO, a socket, a device): it becomes a reject,
  and is never opened in a way that could block;
- a folder reached through a symbolic link inside an input folder: it becomes a reject
  (give its target as an input path to read it), so a link can neither loop nor pull in
  a tree from elsewhere unnoticed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsdag.errors import InputIsDataDir, NoInputs, Reasons
from newsdag.tables import Reject

# Files whose presence makes a folder a newsdag data dir.
DATA_DIR_MARKERS = ("manifest.json", "newsdag.duckdb", ".lock")

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def is_data_dir(path: Path) -> bool:
    """Is ``path`` a folder newsdag writes its tables into (or what is left of one: its
    ``tables/articles`` folder)?"""
    return path.is_dir() and (
        any((path / marker).exists() for marker in DATA_DIR_MARKERS) or (path / "tables" / "articles").is_dir()
    )


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _file(path: Path) -> Path | Reject:
    """``path`` if it may be read as an input, else a Reject naming what it is.
    A broken link or an unreadable entry stays a path: its reader says why it fails."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return path
    if stat.S_ISREG(mode):
        return path
    return Reject(str(path), Reasons.NOT_A_FILE.format(kind=kind_of(mode)))


def walk(paths: Iterable[str | os.PathLike]) -> Iterator[Path | Reject]:
    """The input files under ``paths`` (folders walked recursively, sorted, hidden names
    skipped) and a Reject for each entry that may not be read.

    Raises NoInputs for a path that does not exist and InputIsDataDir for a data dir,
    before any work is done.
    """
    resolved = [Path(p) for p in paths]
    for path in resolved:
        if not path.exists() and not path.is_symlink():
            raise NoInputs(str(path))
        if is_data_dir(path):
            raise InputIsDataDir(str(path))
    for path in resolved:
        if path.is_dir():
            yield from _walk_folder(path)
        else:
            yield _file(path)


def _walk_folder(top: Path) -> Iterator[Path | Reject]:
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=unreadable.append):
        while unreadable:
            error = unreadable.pop()
            yield Reject(str(error.filename or root), Reasons.UNREADABLE.format(error=error.strerror or error))
        here = Path(root)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            folder = here / name
            if folder.is_symlink():
                yield Reject(str(folder), Reasons.LINKED_FOLDER)
            elif not is_data_dir(folder):
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if not name.startswith("."):
                yield _file(here / name)
    for error in unreadable:
        yield Reject(str(error.filename or top), Reasons.UNREADABLE.format(error=error.strerror or error))


def discover(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The input files under ``paths``, without the rejects of :func:`walk`."""
    return (item for item in walk(paths) if isinstance(item, Path))


def open_input(path: Path):
    """``path`` opened for reading as a binary file object, or the reason it cannot be.

    Opened without blocking and checked on the open descriptor, so a file replaced by a
    FIFO after the walk can neither hang the run nor be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            return Reasons.NOT_A_FILE.format(kind="a socket")
        return Reasons.UNREADABLE.format(error=exc.strerror or exc)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            return Reasons.NOT_A_FILE.format(kind=kind_of(mode))
        return os.fdopen(fd, "rb")
    except OSError as exc:
        os.close(fd)
        return Reasons.UNREADABLE.format(error=exc.strerror or exc)
