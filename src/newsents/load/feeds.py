"""RSS and Atom feeds (feedparser): one article per item with content (or a summary).

An item's path is ``feed.xml#3`` (its third item); its site is the feed's title.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from newsents.errors import InputError
from newsents.load.compose import Stated, compose, one_line, record_id
from newsents.load.files import is_url, read_bytes
from newsents.load.html import fragment_text
from newsents.load.records import authors_of
from newsents.models import LoadedArticle

MAX_FEED_BYTES = 64 * 1024 * 1024


def read_feed(
    path: str, data: bytes | None = None, *, fetched: str | None = None
) -> Iterator[LoadedArticle | InputError]:
    """Each item of a feed as an article, or one InputError for an item without content;
    `fetched`: when the feed was fetched, for a feed read from its URL."""
    import feedparser

    if data is None:
        data = read_bytes(path, MAX_FEED_BYTES, "one feed")
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    problem = feed.get("bozo_exception")
    broken = problem is not None and any(
        sign in str(problem) for sign in ("not well-formed", "no element", "mismatched")
    )
    if not feed.entries or (broken and not any(entry.keys() for entry in feed.entries)):
        what = f"not a well-formed feed ({problem})" if broken else "no feed items in it"
        raise InputError(path, what)
    site = one_line(feed.feed.get("title"))
    for number, entry in enumerate(feed.entries, 1):
        item = f"{path}#{number}"
        try:
            yield _article(entry, item, site, feed.get("encoding") or "utf-8", fetched)
        except InputError as error:
            yield error


def _article(
    entry: Any, path: str, site: str | None, encoding: str, fetched: str | None
) -> LoadedArticle:
    content = _content(entry)
    if not content:
        raise InputError(path, "a feed item without content or summary")
    stated = Stated(
        title=one_line(fragment_text(entry.get("title", "")) or None),
        text=fragment_text(content),
        authors=_authors(entry),
        published=_date(entry, "published") or _date(entry, "created"),
        updated=_date(entry, "updated"),
        url=_web_address(entry.get("link")),
        site=site,
        fetched=fetched,
    )
    return compose(
        stated, path=path, article_id=record_id(stated), encoding=encoding, format="feed"
    )


# RSS 2.0's author is an e-mail address, with the name after it in brackets by custom:
# `editor@gazette.example (Ana Sousa)`; also `Ana Sousa <editor@gazette.example>`.
_MAIL_THEN_NAME = re.compile(r"^\s*[^\s@()<>]+@[^\s@()<>]+\s*\((?P<name>[^()]+)\)\s*$")
_NAME_THEN_MAIL = re.compile(r"^\s*(?P<name>[^<>()@]+?)\s*[<(][^\s@()<>]+@[^\s@()<>]+[>)]\s*$")
_MAIL = re.compile(r"^\s*[^\s@]+@[^\s@]+\s*$")


def _authors(entry: Any) -> list[str]:
    """The item's authors, read from its own author string when it holds an e-mail address
    (feedparser cuts `editor@gazette.example (Ana Sousa)` wrongly)."""
    raw = dict.get(entry, "author")
    if isinstance(raw, str) and "@" in raw:
        match = _MAIL_THEN_NAME.match(raw) or _NAME_THEN_MAIL.match(raw)
        if match:
            return authors_of(match.group("name"))
        if _MAIL.match(raw):
            return []
    names = [a.get("name") for a in dict.get(entry, "authors") or [] if isinstance(a, dict)]
    return authors_of([n for n in names if n and "@" not in n] or raw)


def _web_address(link: object) -> str | None:
    """The item's link if it is a web address (an Atom entry without one gets its `urn:` id)."""
    return link if isinstance(link, str) and is_url(link) else None


def _content(entry: Any) -> str | None:
    """The item's full content (`content:encoded`, Atom `content`), else its summary."""
    for part in entry.get("content") or []:
        if part.get("value", "").strip():
            return str(part["value"])
    summary = entry.get("summary", "")
    return str(summary) if summary.strip() else None


def _date(entry: Any, name: str) -> str | None:
    """feedparser's parsed date (UTC) as ISO 8601; an unparsed one is left out."""
    # dict.get, not feedparser's: its own maps a missing `updated` to `published`.
    parsed = dict.get(entry, f"{name}_parsed")
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
