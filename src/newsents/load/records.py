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
from newsents.lexicon import MONTHS, NAME_PARTICLES, WEEKDAYS, words
from newsents.load.compose import Stated, compose, normalise_date, one_line, record_id
from newsents.load.decode import decode
from newsents.load.kinds import FIELD_NAMES, FIELDS
from newsents.models import LoadedArticle, SourceFormat

# A value a field cannot take is passed over for the next name (trafilatura's `source` is the
# page's URL, NewsAPI's the publication).
_URL = re.compile(r"https?://\S+$")

_SNIFF_BYTES = 64 * 1024
# A CSV cell may hold a whole article (the csv module stops at 131,072 characters).
_MAX_CELL_CHARS = 4_000_000
# JSON read whole at most (a bigger dump is read as JSON Lines, one object per line).
MAX_JSON_BYTES = 256 * 1024 * 1024


def header_key(name: str) -> str:
    """A field name as it is compared: case, `_`, `-` and spaces do not matter."""
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
        keys = {header_key(k): k for k in record}
        for candidate in FIELD_NAMES[name]:
            if "." in candidate:  # a nested name: the Guardian's `fields.bodyText`
                value = _dotted(record, candidate)
            else:
                key = keys.get(header_key(candidate))
                value = record[key] if key is not None else None
            if value not in (None, "", []) and _fits(name, value):
                return value
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
        title=_unescaped(_text(fields.value(record, "title"))),
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
    else:
        stated.text = _unescaped(stated.text)
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
    cleaned = (person_name(one_line(_BY.sub("", name)) or "") for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))


_AUTHOR_ROLES = words("author_roles")
# Full names only: `Jan`, `May` and `June` are also people's names.
_DAYS = frozenset(day for day in WEEKDAYS if day.endswith("day"))
_MONTH_NAMES = frozenset(month for month in MONTHS if len(month) > 3)
_STAMP_WORDS = _DAYS | {"published", "updated", "posted"}
_DESCRIPTION = re.compile(r"\s+(?:is|was)\s+(?:a|an|the)\s.*$|,\s+(?:a|an|the|who)\s.*$")


def person_name(text: str) -> str | None:
    """The person an author field names, or None when it names none: a sentence about them is
    cut (`Phil Helsel is a reporter`), so are a day and what follows (`Malcolm Owen Monday`);
    a desk or role (`AP Auto Writer`), a phrase (`The Russian`, `defense ministries`) or a date
    alone (`November`) is no person."""
    words_ = _DESCRIPTION.sub("", text).split()
    for index, word in enumerate(words_):
        if word.lower().strip(".,") in _STAMP_WORDS:
            words_ = words_[:index]
            break
    if not words_ or words_[0] == "The" or (len(words_) == 1 and words_[0].lower() in _MONTH_NAMES):
        return None
    if any(w.lower() in _AUTHOR_ROLES for w in words_):
        return None
    if any(not w[0].isupper() and w.lower() not in NAME_PARTICLES for w in words_):
        return None
    return " ".join(words_)


_HTML_TAG = re.compile(
    r"</?(?:p|br|div|span|a|h[1-6]|ul|ol|li|strong|em|b|i|img|figure|blockquote)\b[^>]*>", re.I
)


def _looks_like_html(text: str) -> bool:
    return _HTML_TAG.search(text[:20_000]) is not None


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def _unescaped(text: str | None) -> str | None:
    """HTML character references (`&amp;`, `&#8217;`) as the characters they stand for, as
    scrapers often leave them in plain text fields."""
    if text is None or "&" not in text or not _ENTITY.search(text):
        return text
    import html

    return html.unescape(text)


# -- JSON ----------------------------------------------------------------------------------


def json_records(path: str, stream: BinaryIO) -> Iterator[tuple[int, Any] | InputError]:
    """The records of a JSON file (a seekable stream): an array's items, one object, or JSON
    Lines (one value per line), each with its number; a line that does not parse is an
    InputError of its own. JSON Lines are read as a stream, whatever their size."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    named_lines = path.lower().endswith(_JSON_LINES_NAMES) and not _opens_a_document(head)
    if named_lines or _is_json_lines(head):
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
        where = f"line {error.lineno}, column {error.colno}"
        raise InputError(path, _json_error(error, where)) from error
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


_JSON_LINES_NAMES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def _json_error(error: json.JSONDecodeError, where: str) -> str:
    """`Expecting value at column 9`; json's own message may end with "at" already."""
    return f"not valid JSON: {error.msg.removesuffix(' at')} at {where}"


def _is_json_lines(data: bytes) -> bool:
    """Several lines, the first an object's start and an object whole, or two of the first
    three so (the first may be broken). A document of one item a line (`[` or `{"articles": [`
    first) has at most one: the others end with a comma."""
    lines = [line for line in data.lstrip(codecs.BOM_UTF8).splitlines() if line.strip()][:3]
    if len(lines) < 2 or not lines[0].lstrip().startswith(b"{"):
        return False
    whole = [_is_an_object(line) for line in lines]
    return whole[0] or sum(whole) >= 2


def _opens_a_document(data: bytes) -> bool:
    """A file named as JSON Lines that holds one document written over many lines (misnamed):
    it opens with an array, or its first line opens a value it does not close (`{` alone,
    `{"articles": [`)."""
    lines = [line for line in data.lstrip(codecs.BOM_UTF8).splitlines() if line.strip()]
    first = lines[0].strip() if lines else b""
    return first.startswith(b"[") or first.endswith((b"{", b"["))


def _is_an_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _json_lines(path: str, stream: BinaryIO) -> Iterator[tuple[int, Any] | InputError]:
    for number, raw in enumerate(stream, 1):
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        line = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not line:
            continue
        try:
            yield number, json.loads(line)
        except UnicodeDecodeError:
            yield InputError(f"{path}#{number}", "not UTF-8")
        except json.JSONDecodeError as error:
            where = f"column {indent + error.colno}"  # of the line as written
            yield InputError(f"{path}#{number}", _json_error(error, where))


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
        first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace").strip()
        excel_sep = re.fullmatch(r"\ufeff?sep=(.)", first_line)
        if excel_sep:  # Excel's own first line, naming the delimiter
            text.readline()
            first_line = text.readline()
            text.seek(0)
            text.readline()
        reader = csv.DictReader(
            text,
            delimiter=delimiter or (excel_sep.group(1) if excel_sep else _delimiter(first_line)),
        )
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
