"""Web archives (WARC, gzipped or not; warcio): each HTML response an article.

A record's path is ``crawl.warc.gz#12`` (the 12th record of the file); its URL and the date it
was fetched are kept. A response that is not an HTML page is one line, the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from newsents.errors import InputError
from newsents.load.compose import normalise_date
from newsents.load.files import open_regular
from newsents.load.html import MAX_PAGE_BYTES, read_html
from newsents.models import LoadedArticle

_CONTENT_RECORDS = ("response", "resource", "revisit", "conversion")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str, stream: BinaryIO | None = None) -> Iterator[LoadedArticle | InputError]:
    """Each HTML response of the archive (opened from path unless a stream is given)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stream = stream if stream is not None else open_regular(path)
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(stream), 1):
            if record.rec_type not in _CONTENT_RECORDS or record.rec_type == "revisit":
                continue
            yield _page(record, f"{path}#{number}")
    except ArchiveLoadFailed as error:
        yield InputError(
            path if number == 0 else f"{path}#{number + 1}", f"not a readable WARC: {error}"
        )
    finally:
        stream.close()


def _page(record: object, path: str) -> LoadedArticle | InputError:
    headers = record.http_headers  # type: ignore[attr-defined]
    kind = (headers.get_header("Content-Type") if headers else None) or (
        record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    )
    media_type, _, params = (kind or "").partition(";")
    if media_type.strip().lower() not in _HTML_TYPES:
        return InputError(path, f"not an HTML page ({media_type.strip() or 'no type'}): skipped")
    status = headers.get_statuscode() if headers else "200"
    if status and not status.startswith("2"):
        return InputError(path, f"not a page but an HTTP {status} answer: skipped")
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_PAGE_BYTES:
        return InputError(path, f"too large for one page: over {MAX_PAGE_BYTES:,} bytes")
    if getattr(record.raw_stream, "limit", 0):  # type: ignore[attr-defined]
        return InputError(path, "the archive is cut short in this record: skipped")
    rec = record.rec_headers  # type: ignore[attr-defined]
    charset = params.partition("charset=")[2].strip(" \"'") or None
    try:
        return read_html(
            path,
            data,
            url=rec.get_header("WARC-Target-URI"),
            fetched=normalise_date(rec.get_header("WARC-Date")),
            charset=charset,
            format="warc",
        )
    except InputError as error:
        return error
