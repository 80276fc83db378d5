"""RSS and Atom feeds (feedparser): one article per item with content (or a summary).

An item's path is ``feed.xml#3`` (its third item); its site is the feed's title.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from newsents.errors import InputError
from newsents.load.compose import Stated, compose, one_line, record_id
from newsents.load.files import read_bytes
from newsents.load.html import fragment_text
from newsents.load.records import authors_of
from newsents.models import LoadedArticle

MAX_FEED_BYTES = 64 * 1024 * 1024


def read_feed(path: str, data: bytes | None = None) -> Iterator[LoadedArticle | InputError]:
    """Each item of a feed as an article, or one InputError for an item without content."""
    import feedparser

    if data is None:
        data = read_bytes(path, MAX_FEED_BYTES, "one feed")
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.entries:
        problem = feed.get("bozo_exception")
        raise InputError(path, f"no feed items in it{f' ({problem})' if problem else ''}")
    site = one_line(feed.feed.get("title"))
    for number, entry in enumerate(feed.entries, 1):
        item = f"{path}#{number}"
        try:
            yield _article(entry, item, site, feed.get("encoding") or "utf-8")
        except InputError as error:
            yield error


def _article(entry: Any, path: str, site: str | None, encoding: str) -> LoadedArticle:
    content = _content(entry)
    if not content:
        raise InputError(path, "a feed item without content or summary")
    stated = Stated(
        title=one_line(fragment_text(entry.get("title", "")) or None),
        text=fragment_text(content),
        authors=authors_of(entry.get("authors") or entry.get("author")),
        published=_date(entry, "published") or _date(entry, "created"),
        updated=_date(entry, "updated"),
        url=entry.get("link"),
        site=site,
    )
    return compose(
        stated, path=path, article_id=record_id(stated), encoding=encoding, format="feed"
    )


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
