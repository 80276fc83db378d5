"""Which reader reads a path, and every article a path holds (docs/input.md).

A file's format is its extension's (`SUFFIXES`); a file with none, and stdin, are known by
their first bytes; `--format` decides for all. Folders keep only files of these extensions.
A file of another extension given by name is an error naming the formats read.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from newsents.errors import InputError
from newsents.load.files import STDIN, is_url, open_regular, read_bytes
from newsents.load.kinds import CASED_SUFFIXES, KNOWN, SUFFIXES
from newsents.models import LoadedArticle

if TYPE_CHECKING:
    from newsents.load.fetch import Fetcher


@dataclass(frozen=True)
class ReadOptions:
    """How `extract` reads its inputs: `--format`, `--field`, `--published`,
    `--published-from`."""

    format: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    published: str | None = None
    published_from_filename: bool = False


def format_by_name(name: str) -> str | None:
    for suffix, format in CASED_SUFFIXES:
        if name.endswith(suffix):
            return format
    lowered = name.lower()
    for suffix, format in SUFFIXES:
        if lowered.endswith(suffix):
            return format
    return None


def is_article_name(name: str) -> bool:
    return format_by_name(name) is not None


def read_source(
    path: str, options: ReadOptions | None = None
) -> Iterator[tuple[str, LoadedArticle | InputError]]:
    """Every article a path (a file, a URL or ``-``) holds, with the path each is shown by
    (``dump.jsonl#17`` for a record), or an InputError in its place; in the file's order."""
    options = options or ReadOptions()
    read = 0
    try:
        for item in _articles(path, options):
            read += 1
            if isinstance(item, InputError):
                yield item.path, item
            else:
                yield item.article.path, _with_given_date(item, options)
    except InputError as error:
        yield error.path, error
    except (EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as error:
        # A compressed file cut short, a stream that stops decoding: what came before is kept.
        where = f"{path}#{read + 1}" if read else path
        yield where, InputError(where, f"the file is cut short or damaged here: {error}")


def _articles(path: str, options: ReadOptions) -> Iterator[LoadedArticle | InputError]:
    from newsents.load.html import MAX_PAGE_BYTES

    if is_url(path):
        yield from _fetcher().read(path)
        return
    # Standard input is read once, so its first bytes can tell its format.
    data = read_bytes(STDIN, MAX_PAGE_BYTES, "standard input") if path == STDIN else None
    format = options.format or _format_of(path, data)
    yield from READERS[format](path, options, data)


def _format_of(path: str, data: bytes | None) -> str:
    if data is not None:
        return sniff(data[:4096])
    by_name = format_by_name(os.path.basename(path))
    if by_name is not None:
        return by_name
    if "." in os.path.basename(path).lstrip("."):
        extension = os.path.basename(path).rsplit(".", 1)[1]
        raise InputError(
            path, f"unknown format (.{extension[:20]}): newsents reads {KNOWN}; or use --format"
        )
    return sniff(read_bytes(path)[:4096])


def sniff(head: bytes) -> str:
    """A format from a file's first bytes: WARC, a feed, a page, JSON, else text."""
    import zlib

    if head.startswith(b"\x1f\x8b"):
        head = zlib.decompressobj(31).decompress(head, 4096)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    lowered = start.lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if lowered.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)\b", lowered):
            return "feed"
        return "html"
    if start.startswith((b"{", b"[")):
        return "json"
    if start.startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n")):
        return "markdown"
    return _table_by_header(start) or "text"


def _table_by_header(start: bytes) -> str | None:
    """CSV or TSV, when the first line is a header naming an article's fields: two columns or
    more, one of them a text field's name (`Story`, `body`, `text`...)."""
    from newsents.load.records import FIELD_NAMES, header_key

    first = start.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    if first.lower().startswith("sep="):
        return "csv"
    texts = {header_key(name) for name in FIELD_NAMES["text"] + FIELD_NAMES["html"]}
    for delimiter, format in (("\t", "tsv"), (",", "csv"), (";", "csv"), ("|", "csv")):
        cells = [header_key(cell.strip().strip('"')) for cell in first.split(delimiter)]
        if len(cells) >= 2 and texts & set(cells):
            return format
    return None


def _bytes_of(path: str, data: bytes | None, limit: int, what: str) -> bytes:
    if data is None:
        return read_bytes(path, limit, what)
    if len(data) > limit:
        raise InputError(path, f"too large for {what}: over {limit:,} bytes")
    return data


def _stream_of(path: str, data: bytes | None) -> BinaryIO:
    return io.BytesIO(data) if data is not None else open_regular(path)


# -- the readers ---------------------------------------------------------------------------

Reader = Callable[[str, ReadOptions, "bytes | None"], Iterator["LoadedArticle | InputError"]]


def _read_text(path: str, options: ReadOptions, data: bytes | None) -> Iterator[LoadedArticle]:
    from newsents.load.files import MAX_ARTICLE_BYTES
    from newsents.load.text import read_article

    yield read_article(path, _bytes_of(path, data, MAX_ARTICLE_BYTES, "one article"))


def _read_markdown(path: str, options: ReadOptions, data: bytes | None) -> Iterator[LoadedArticle]:
    from newsents.load.files import MAX_ARTICLE_BYTES
    from newsents.load.front_matter import read_markdown

    yield read_markdown(path, _bytes_of(path, data, MAX_ARTICLE_BYTES, "one article"))


def _read_html(path: str, options: ReadOptions, data: bytes | None) -> Iterator[LoadedArticle]:
    from newsents.load.html import MAX_PAGE_BYTES, read_html

    yield read_html(path, _bytes_of(path, data, MAX_PAGE_BYTES, "one page"))


def _read_feed(
    path: str, options: ReadOptions, data: bytes | None
) -> Iterator[LoadedArticle | InputError]:
    from newsents.load.feeds import MAX_FEED_BYTES, read_feed

    yield from read_feed(path, _bytes_of(path, data, MAX_FEED_BYTES, "one feed"))


def _read_warc(
    path: str, options: ReadOptions, data: bytes | None
) -> Iterator[LoadedArticle | InputError]:
    from newsents.load.warc import read_warc

    yield from read_warc(path, _stream_of(path, data))


def _read_records(kind: str) -> Reader:
    def read(
        path: str, options: ReadOptions, data: bytes | None
    ) -> Iterator[LoadedArticle | InputError]:
        from newsents.load import records

        fields = records.FieldMap(options.fields)
        stream = _stream_of(path, data)
        try:
            gunzipped = None
            if stream.read(2) == b"\x1f\x8b":
                stream.seek(0)
                gunzipped = _Gunzipped(stream)
                stream = io.BufferedReader(gunzipped)  # type: ignore[assignment]
            stream.seek(0)
            found = (
                records.json_records(path, stream)
                if kind == "json"
                else records.csv_records(path, stream, delimiter="\t" if kind == "tsv" else None)
            )
            number = 0
            for item in found:
                if isinstance(item, InputError):
                    yield item
                    continue
                number, record = item
                try:
                    yield records.article_from_record(
                        record,
                        path=f"{path}#{number}",
                        fields=fields,
                        encoding="utf-8",
                        format="csv" if kind == "tsv" else kind,  # type: ignore[arg-type]
                    )
                except InputError as error:
                    yield error
            if gunzipped is not None and gunzipped.truncated:
                yield InputError(
                    f"{path}#{number + 1}", "the file is cut short here (truncated gzip data)"
                )
        finally:
            stream.close()

    return read


class _Gunzipped(io.RawIOBase):
    """A gzipped stream, decompressed as it is read; one cut short reads as all it holds up to
    the cut, and says so in `truncated` (gzip.GzipFile fails before giving any of it)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise io.UnsupportedOperation("a gzipped stream is read from its start only")
        self._raw.seek(0)
        self._unzip = zlib.decompressobj(31)
        self._ready = b""
        self.truncated = False
        return 0

    def readinto(self, buffer: Any) -> int:
        while not self._ready:
            if self._unzip.eof:
                rest = self._unzip.unused_data
                if not rest.startswith(b"\x1f\x8b"):
                    return 0
                self._unzip = zlib.decompressobj(31)  # a second gzip member follows
                self._ready = self._unzip.decompress(rest)
                continue
            chunk = self._raw.read(64 * 1024)
            if not chunk:
                self.truncated = True
                return 0
            self._ready = self._unzip.decompress(chunk)
        n = min(len(buffer), len(self._ready))
        buffer[:n] = self._ready[:n]
        self._ready = self._ready[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


READERS: dict[str, Reader] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "json": _read_records("json"),
    "csv": _read_records("csv"),
    "tsv": _read_records("tsv"),
    "feed": _read_feed,
    "warc": _read_warc,
}


_FETCHER: list[Fetcher] = []


def _fetcher() -> Fetcher:
    from newsents.load.fetch import Fetcher

    if not _FETCHER:
        _FETCHER.append(Fetcher())
    return _FETCHER[0]


# -- dates given on the command line -------------------------------------------------------------

_NAME_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[-_./]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
)


def date_in_path(path: str) -> str | None:
    """The date a path names, as ``2005-02-13-title.txt``, ``20050213_title.html`` or
    ``2005/02/13/title.txt`` do (the file's name first, then its folders, innermost first)."""
    parts = path.replace("\\", "/").split("#", 1)[0].split("/")
    candidates = [parts[-1], "/".join(parts[-4:-1]), *reversed(parts[:-1])]
    for candidate in candidates:
        for match in _NAME_DATE.finditer(candidate):
            try:
                day = date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                continue
            return day.isoformat()
    return None


def _with_given_date(loaded: LoadedArticle, options: ReadOptions) -> LoadedArticle:
    """The article's own date wins; else the one its file name gives (with
    `--published-from filename`), else `--published`."""
    if loaded.article.published is not None:
        return loaded
    given = (date_in_path(loaded.article.path) if options.published_from_filename else None) or (
        options.published
    )
    if given is None:
        return loaded
    article = loaded.article.model_copy(update={"published": given})
    return loaded.model_copy(update={"article": article})
