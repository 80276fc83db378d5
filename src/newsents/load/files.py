"""Finding article files and reading their bytes safely.

- `iter_input_files` expands files and folders into a sorted, deterministic list of paths;
- `read_bytes` and `open_regular` read one file, refusing what would hang or flood memory
  (FIFOs, devices, sockets, files over a size limit).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from newsents.errors import InputError

STDIN = "-"

# spaCy's own limit for one text; longer is a book or a dump, not a news article.
MAX_ARTICLE_CHARS = 1_000_000
# Bytes read of one text file at most: a file larger than this cannot decode to an article
# within MAX_ARTICLE_CHARS (four bytes a character at most), so it is refused unread.
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS


def iter_input_files(
    paths: Sequence[str], is_article: Callable[[str], bool] | None = None
) -> Iterator[str]:
    """Expand files and folders into article paths, in a deterministic order.

    Folders are walked recursively, skipping dot-files and dot-folders, keeping the files
    `is_article` accepts by name (by default, the formats newsents reads), sorted by their path
    relative to the folder. A file named explicitly is yielded whatever its name (its reader
    says if it cannot read it); ``-`` (stdin) passes through. Paths keep the form they were
    given in. A path that is named twice is yielded once.

    Raises InputError (before yielding anything) if a path does not exist.
    """
    if is_article is None:
        from newsents.load.formats import is_article_name

        is_article = is_article_name
    for path in paths:
        if path != STDIN and not is_url(path) and not os.path.exists(path):
            raise InputError(path, "no such file or folder")
    return _expand_all(paths, is_article)


def _expand_all(paths: Sequence[str], is_article: Callable[[str], bool]) -> Iterator[str]:
    seen: set[str] = set()
    for path in paths:
        for found in _expand(path, is_article):
            key = found if found == STDIN or is_url(found) else os.path.normpath(found)
            if key not in seen:
                seen.add(key)
                yield found


def is_url(text: str) -> bool:
    """An http or https address: fetched, never looked for on disk."""
    return text.startswith(("http://", "https://"))


def _expand(path: str, is_article: Callable[[str], bool]) -> Iterator[str]:
    if path != STDIN and not is_url(path) and os.path.isdir(path):
        yield from _walk_folder(path, is_article)
    else:
        yield path


def _walk_folder(folder: str, is_article: Callable[[str], bool]) -> Iterator[str]:
    """Article files under folder, sorted. Symbolic links to folders are followed, each real
    folder once (a link back up the tree is no loop). A folder that cannot be read is yielded
    itself, so reading it fails with one line saying why."""
    relative_paths = []
    unreadable: list[str] = []
    visited = {os.path.realpath(folder)}

    def note(error: OSError) -> None:
        if error.filename:
            unreadable.append(os.path.relpath(str(error.filename), folder))

    for root, dirs, files in os.walk(folder, onerror=note, followlinks=True):
        kept = []
        for name in sorted(dirs):
            real = os.path.realpath(os.path.join(root, name))
            if not name.startswith(".") and real not in visited:
                visited.add(real)
                kept.append(name)
        dirs[:] = kept
        for name in files:
            if not name.startswith(".") and is_article(name):
                relative_paths.append(os.path.relpath(os.path.join(root, name), folder))
    relative_paths += unreadable
    for relative in sorted(relative_paths, key=lambda rel: rel.replace(os.sep, "/")):
        yield os.path.join(folder, relative)


def read_bytes(path: str, limit: int = MAX_ARTICLE_BYTES, what: str = "one article") -> bytes:
    """The file's bytes (stdin's for ``-``), at most `limit` of them."""
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise InputError(path, f"too large for {what}: over {limit:,} bytes")
        return data
    try:
        size = _regular_size(path)
        if size > limit:
            raise InputError(path, f"too large for {what}: {size:,} bytes (limit {limit:,})")
        with open(path, "rb") as file:
            return file.read(limit + 1)
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error


def open_regular(path: str) -> BinaryIO:
    """The file opened for reading in binary (stdin's buffer for ``-``), for formats read as a
    stream (JSON Lines, CSV, WARC), with the same checks as `read_bytes` but no size limit."""
    if path == STDIN:
        return sys.stdin.buffer
    try:
        _regular_size(path)
        return open(path, "rb")
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error


def _regular_size(path: str) -> int:
    # Looked at before it is opened: opening a FIFO waits for a writer, forever.
    kind = os.stat(path)
    if stat.S_ISDIR(kind.st_mode):
        raise InputError(path, f"cannot read this folder: {_folder_problem(path)}")
    if not stat.S_ISREG(kind.st_mode):
        raise InputError(path, "not a regular file (a FIFO, device or socket): skipped")
    return kind.st_size


def _folder_problem(path: str) -> str:
    try:
        os.listdir(path)
    except OSError as error:
        return str(error.strerror or error).lower()
    return "not an article file"
