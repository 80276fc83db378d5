"""Markdown articles with front matter: YAML, as Jekyll, Hugo, Eleventy and Obsidian write it
(or TOML between `+++` lines, as Hugo also does):

    ---
    title: Harbour strike ends
    date: 2005-02-13
    author: Ana Sousa
    ---

The front matter's title, date, authors, URL and site are the article's (named as in dumps:
`title`, `date`/`published`, `author`/`authors`, `url`/`link`, ...); the text stays the file's
own, offsets and all, and the front matter is no block (the model never sees it).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from newsents.errors import InputError
from newsents.load.compose import normalise_date, one_line
from newsents.load.decode import decode
from newsents.load.records import FieldMap, authors_of
from newsents.load.text import checked_text, content_id, normalise_newlines, parse_article
from newsents.models import LoadedArticle

_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?:---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)|\+\+\+[ \t]*\n(?P<toml>.*?)\n\+\+\+)"
    r"[ \t]*(?:\n|\Z)",
    re.S,
)


def read_markdown(path: str, data: bytes) -> LoadedArticle:
    text, encoding = decode(data, path)
    text = normalise_newlines(checked_text(text, path))
    found = _FRONT_MATTER.match(text)
    if found is None:
        loaded = parse_article(text, path=path, article_id=content_id(data), encoding=encoding)
        return _as_markdown(loaded, {})
    if found.group("toml") is not None:
        meta = _toml(found.group("toml"), path)
    else:
        meta = _yaml(found.group("yaml"), path)
    fields = FieldMap()
    title = one_line(_str(fields.value(meta, "title")))
    loaded = parse_article(
        text,
        path=path,
        article_id=content_id(data),
        encoding=encoding,
        start=found.end(),
        has_title=title is None,
    )
    return _as_markdown(loaded, meta, title)


def _yaml(text: str, path: str) -> dict[str, Any]:
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise InputError(path, f"front matter is not valid YAML{where}") from error
    return value if isinstance(value, dict) else {}


def _toml(text: str, path: str) -> dict[str, Any]:
    """Hugo's `+++` front matter."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, f"front matter is not valid TOML ({error})") from error


def _as_markdown(
    loaded: LoadedArticle, meta: dict[str, Any], title: str | None = None
) -> LoadedArticle:
    fields = FieldMap()
    article = loaded.article
    update: dict[str, Any] = {"format": "markdown"}
    if title:
        update["title"] = title
    authors = authors_of(fields.value(meta, "authors"))
    if authors:
        update["authors"] = authors
    for name in ("published", "updated"):
        value = normalise_date(_str(fields.value(meta, name)))
        if value:
            update[name] = value
    update["url"] = one_line(_str(fields.value(meta, "url"))) or article.url
    update["site"] = one_line(_str(fields.value(meta, "site"))) or article.site
    return loaded.model_copy(update={"article": article.model_copy(update=update)})


def _str(value: Any) -> Any:
    # YAML reads `date: 2005-02-13` as a date: ISO text again.
    return value.isoformat() if hasattr(value, "isoformat") else value
