"""Dumps of articles: JSON (an array, one object, or one object per line) and CSV/TSV.

Each record (object or row) is an article of its own, shown as ``dump.jsonl#17``: the 17th
record of the file, counting from 1 (in JSON Lines, its line). Fields are found by the names
scrapers, news APIs and newsroom tools use (`FIELD_NAMES`, tried in order), or named with
``--field text=body`` (a dotted path reaches into nested objects: ``--field site=source.name``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from newsents.errors import InputError
from newsents.load.compose import Stated, compose, normalise_date, one_line, record_id
from newsents.load.decode import decode
from newsents.models import LoadedArticle, SourceFormat

# Each field of an article, and the names a record may give it, tried in this order (case and
# `_`/`-`/space do not matter: `date_publish`, `datePublish` and `Date Publish` are one name).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "webTitle", "name_of_article", "heading"),
    "text": (
        "text", "maintext", "content", "body", "articleBody", "bodyText", "full_text",
        "fulltext", "article_text", "article", "story", "raw_text", "description", "summary",
    ),
    "html": ("html", "raw_html", "content_html", "body_html", "html_content"),
    "authors": ("authors", "author", "byline", "creator", "creators", "by", "writer", "writers"),
    "published": (
        "published", "date_publish", "publish_date", "datePublished", "published_at",
        "publishedAt", "pubDate", "publication_date", "date_published", "webPublicationDate",
        "date", "created_at", "timestamp", "time",
    ),
    "updated": (
        "updated", "date_modify", "dateModified", "modified", "updated_at", "date_modified",
        "last_modified", "lastmod",
    ),
    "url": (
        "url", "link", "webUrl", "canonical_url", "canonical_link", "canonical", "uri", "href",
        "source_url", "source",
    ),
    "site": (
        "site", "sitename", "site_name", "meta_site_name", "source_hostname", "source_domain",
        "source", "publisher", "hostname", "domain",
    ),
}  # fmt: skip
# A value a field cannot take is passed over for the next name (trafilatura's `source` is the
# page's URL, NewsAPI's the publication).
_URL = re.compile(r"https?://\S+$")
FIELDS = tuple(FIELD_NAMES)

_SNIFF_BYTES = 64 * 1024
# A CSV cell may hold a whole article (the csv module stops at 131,072 characters).
_MAX_CELL_CHARS = 4_000_000
# JSON read whole at most (a bigger dump is read as JSON Lines, one object per line).
MAX_JSON_BYTES = 256 * 1024 * 1024


def _key(name: str) -> str:
    return re.sub(r"[\s_-]", "", name).lower()


class FieldMap:
    """Which key of a record holds each field: the user's `--field`s, else the first of
    `FIELD_NAMES` the record has."""

    def __init__(self, given: Mapping[str, str] | None = None) -> None:
        unknown = set(given or {}) - set(FIELDS)
        if unknown:
            raise ValueError(
                f"unknown field {sorted(unknown)[0]!r}: fields are {', '.join(FIELDS)}"
            )
        self.given = dict(given or {})

    def value(self, record: Mapping[str, Any], name: str) -> Any:
        if name in self.given:
            return _dotted(record, self.given[name])
        keys = {_key(k): k for k in record}
        for candidate in FIELD_NAMES[name]:
            key = keys.get(_key(candidate))
            if key is not None and record[key] not in (None, "", []) and _fits(name, record[key]):
                return record[key]
        return None


def _fits(name: str, value: Any) -> bool:
    if name == "url":
        return isinstance(value, str) and bool(_URL.match(value.strip()))
    if name == "site":
        return not (isinstance(value, str) and _URL.match(value.strip()))
    return True


def _dotted(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


# -- from a record to an article ---------------------------------------------------------------


def article_from_record(
    record: Any, *, path: str, fields: FieldMap, encoding: str, format: SourceFormat
) -> LoadedArticle:
    """The article a record (a JSON object, a CSV row) states; InputError when it states none."""
    if not isinstance(record, Mapping):
        raise InputError(path, f"not an object but {type(record).__name__}: no article")
    stated = Stated(
        title=_text(fields.value(record, "title")),
        text=_text(fields.value(record, "text")),
        authors=authors_of(fields.value(record, "authors")),
        published=normalise_date(_scalar(fields.value(record, "published"))),
        updated=normalise_date(_scalar(fields.value(record, "updated"))),
        url=one_line(_text(fields.value(record, "url"))),
        site=_site(fields.value(record, "site")),
    )
    html = _text(fields.value(record, "html"))
    if (not stated.text or _looks_like_html(stated.text)) and (html or stated.text):
        from newsents.load.html import fragment_text

        stated.text = fragment_text(stated.text or html or "")
    if not stated.text:
        raise InputError(path, "no text field (named text, content, body, ...; or --field text=)")
    stated.text = _TRUNCATION_MARK.sub("", stated.text)
    return compose(
        stated, path=path, article_id=record_id(stated), encoding=encoding, format=format
    )


# NewsAPI cuts `content` and says by how much: `... [+2345 chars]`.
_TRUNCATION_MARK = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)  # a body given as a list of paragraphs
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _scalar(value: Any) -> Any:
    if isinstance(value, Mapping):  # {"$date": ...} (MongoDB exports)
        return next(iter(value.values()), None)
    return value


def _site(value: Any) -> str | None:
    if isinstance(value, Mapping):  # NewsAPI: {"id": ..., "name": ...}
        value = value.get("name") or value.get("title") or value.get("id")
    return one_line(_text(value))


_BY = re.compile(r"^\s*by\s+", re.I)
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|\||,\s*and\s+|\s+and\s+|&|,)\s*")


def authors_of(value: Any) -> list[str]:
    """Authors as a list: a list of names (or of {"name": ...} objects), or one string of
    names (``By Ana Sousa and Rui Costa``, ``Ana Sousa; Rui Costa``)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if isinstance(value, list):
        names = [_text(v.get("name")) if isinstance(v, Mapping) else _text(v) for v in value]
        return _clean_names(n for n in names if n)
    text = _text(value)
    if not text:
        return []
    return _clean_names(_AUTHOR_SEPARATORS.split(_BY.sub("", text)))


def _clean_names(names: Any) -> list[str]:
    cleaned = (one_line(_BY.sub("", name)) for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))


_HTML_TAG = re.compile(r"<(?:p|br|div|span|a|h[1-6]|ul|li|strong|em|b|i|img|figure)\b[^>]*>", re.I)


def _looks_like_html(text: str) -> bool:
    return len(_HTML_TAG.findall(text[:20_000])) >= 2


# -- JSON ----------------------------------------------------------------------------------


def json_records(path: str, stream: BinaryIO) -> Iterator[tuple[int, Any] | InputError]:
    """The records of a JSON file (a seekable stream): an array's items, one object, or JSON
    Lines (one value per line), each with its number; a line that does not parse is an
    InputError of its own. JSON Lines are read as a stream, whatever their size."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if _is_json_lines(head):
        yield from _json_lines(path, stream)
        return
    data = stream.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise InputError(
            path, f"too large to read whole (over {MAX_JSON_BYTES:,} bytes): give it as JSON Lines"
        )
    text, _ = decode(data, path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON: {error.msg} at line {error.lineno}") from error
    items = value if isinstance(value, list) else _articles_inside(value)
    yield from enumerate(items, 1)


def _articles_inside(data: Any) -> list[Any]:
    """One object is one article, unless it holds the list of them (`{"articles": [...]}`, as
    news APIs answer)."""
    if isinstance(data, Mapping):
        for key in ("articles", "results", "items", "data", "docs", "response"):
            inner = data.get(key)
            if isinstance(inner, Mapping):
                inner = inner.get("results") or inner.get("docs")
            if isinstance(inner, list) and inner and all(isinstance(i, Mapping) for i in inner):
                return inner
    return [data]


def _is_json_lines(data: bytes) -> bool:
    lines = [line for line in data.lstrip(codecs.BOM_UTF8).splitlines()[:3] if line.strip()]
    if len(lines) < 2 or not lines[0].lstrip().startswith(b"{"):
        return False
    try:
        json.loads(lines[0])
    except ValueError:
        return False
    return True


def _json_lines(path: str, stream: BinaryIO) -> Iterator[tuple[int, Any] | InputError]:
    for number, raw in enumerate(stream, 1):
        line = raw.strip()
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line:
            continue
        try:
            yield number, json.loads(line)
        except UnicodeDecodeError:
            yield InputError(f"{path}#{number}", "not UTF-8")
        except json.JSONDecodeError as error:
            yield InputError(f"{path}#{number}", f"not valid JSON: {error.msg}")


# -- CSV -----------------------------------------------------------------------------------


def csv_records(
    path: str, stream: BinaryIO, *, delimiter: str | None = None
) -> Iterator[tuple[int, Any] | InputError]:
    """The rows of a CSV or TSV file (a seekable stream) as records keyed by its header, each
    with its number (the first row after the header is 1). The delimiter is found from the
    header (`,` `;` tab `|`) unless given; the encoding from the first bytes (UTF-8, else the
    legacy guess)."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    encoding = _csv_encoding(head, path)
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL_CHARS))
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
        reader = csv.DictReader(text, delimiter=delimiter or _delimiter(first_line))
        if not reader.fieldnames:
            raise InputError(path, "no header row: a CSV of articles names its columns first")
        for number, row in enumerate(reader, 1):
            if None in row:
                yield InputError(f"{path}#{number}", "more cells than the header has columns")
                continue
            yield number, dict(row)
    except UnicodeDecodeError as error:
        raise InputError(path, f"cannot decode as {encoding} past its start") from error
    except csv.Error as error:
        raise InputError(path, f"not valid CSV: {error}") from error
    finally:
        text.detach()


def _csv_encoding(head: bytes, path: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4:  # a character cut by the sniffing window
            return "utf-8"
    return decode(head, path)[1]


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: (counts[d], d == ","))
