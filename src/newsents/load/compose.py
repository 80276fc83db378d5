"""An article from the parts a format states: its title, body and metadata.

Pages, records, feed items and front matter say what an article's title, authors and dates
are; the text they give is still read as a text file is (a wire dateline, a byline or a date
line at the top of a body is recognised the same way). The stored text is the title, a blank
line, the body, and each caption after it as a paragraph of its own: every offset newsents
gives points into that text, readable back with `newsents articles --json --text`.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from newsents.errors import InputError
from newsents.load.text import checked_text, parse_article, parse_date
from newsents.models import Block, LoadedArticle, SourceFormat


@dataclass
class Stated:
    """What a format states about an article, in `Article`'s fields (None: not stated)."""

    title: str | None = None
    text: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    site: str | None = None
    fetched: str | None = None
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)


def compose(
    stated: Stated, *, path: str, article_id: str, encoding: str, format: SourceFormat
) -> LoadedArticle:
    """The article: its text composed of the stated parts and read as a text file is, then
    the stated metadata over what the text itself states. Raises InputError without text."""
    title = one_line(stated.title)
    body = paragraphs(stated.text or "")
    if not body.strip():
        raise InputError(path, "no article text in it")
    head = f"{title}\n\n" if title else ""
    text = checked_text(head + body, path)
    loaded = parse_article(
        text,
        path=path,
        article_id=article_id,
        encoding=encoding,
        has_title=bool(title),
        title_is_stated=bool(title),
    )
    loaded = _with_captions(loaded, [c for c in map(one_line, stated.captions) if c])
    found = loaded.article
    article = found.model_copy(
        update={
            "title": title or found.title,
            "authors": stated.authors or found.authors,
            "published": stated.published or found.published,
            "updated": stated.updated or found.updated,
            "credits": _unique([*found.credits, *stated.credits]),
            "format": format,
            "url": stated.url,
            "site": one_line(stated.site),
            "fetched": stated.fetched,
        }
    )
    return loaded.model_copy(update={"article": article})


def _with_captions(loaded: LoadedArticle, captions: list[str]) -> LoadedArticle:
    text, blocks = loaded.text, list(loaded.blocks)
    for caption in _unique(c for c in captions if c):
        start = len(text) + 2
        text = f"{text}\n\n{caption}"
        blocks.append(Block(section="caption", start=start, end=len(text), text=caption))
    if len(blocks) == len(loaded.blocks):
        return loaded
    article = loaded.article.model_copy(
        update={"captions": [b.text for b in blocks if b.section == "caption"]}
    )
    return LoadedArticle(article=article, text=text, blocks=blocks)


def record_id(stated: Stated) -> str:
    """A record's article id: the hash of what it states, so the same article has the same id
    in a JSON dump, a CSV export or a feed, whatever else the record holds."""
    canonical = json.dumps(
        [
            one_line(stated.title),
            paragraphs(stated.text or ""),
            stated.authors,
            stated.published,
            stated.url,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def one_line(text: str | None) -> str | None:
    """Whitespace runs (line breaks too) as one space; None for nothing."""
    if text is None:
        return None
    joined = " ".join(text.split())
    return joined or None


_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def paragraphs(text: str) -> str:
    """Each line of a body its own paragraph (a blank line between), as pages and dumps put
    one paragraph on each line; spaces inside a line are kept."""
    return _LINE_BREAKS.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- dates -----------------------------------------------------------------------------------


def normalise_date(value: object) -> str | None:
    """An ISO 8601 date or date-time for a date as dumps and feeds write it: ISO 8601, RFC 2822
    (`Tue, 15 Feb 2005 10:00:00 GMT`), the forms a date line takes (`13 February 2005`), or
    Unix time in seconds or milliseconds. None when it is none of these."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_unix_time(float(value))
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{10}(?:\d{3})?", text):
        return _from_unix_time(float(text))
    return _from_iso(text) or _from_rfc2822(text) or _from_numeric(text) or parse_date(text)


def _from_unix_time(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat(timespec="seconds")


def _from_iso(text: str) -> str | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    candidate = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"Z$", "+00:00", candidate)
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        return text[:10] if _is_real_day(text[:10]) else None
    if len(text) == 10:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})")


def _from_numeric(text: str) -> str | None:
    """`21/02/2021`, `02/21/2021`, `21.02.2021`: day and month told apart when one of them is
    over 12, or by dots (always day first); an ambiguous `03/04/2021` is no date."""
    match = _NUMERIC.match(text)
    if match is None:
        return None
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    if match["sep"] == "." or a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None
    candidate = f"{year:04d}-{month:02d}-{day:02d}"
    return candidate if _is_real_day(candidate) else None


def _is_real_day(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _from_rfc2822(text: str) -> str | None:
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds")
