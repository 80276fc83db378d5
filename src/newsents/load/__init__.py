"""The loader stage: article files and records to `LoadedArticle`s.

- `files`: finding files and reading their bytes safely;
- `decode`: bytes to text;
- `text`: text and Markdown articles, and the text the model is shown;
- `formats`: which reader reads a path (by extension, then content), and `read_source`, which
  yields every article a path holds;
- `kinds`: the formats and record fields by name, for the command line.

Each name is imported when first used, so `newsents show` (which reads no input) does not
load the stage.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Bound now, not when first used: the submodule of the same name would shadow the function.
from newsents.load.decode import decode

if TYPE_CHECKING:
    from newsents.load.files import (
        MAX_ARTICLE_BYTES,
        MAX_ARTICLE_CHARS,
        STDIN,
        iter_input_files,
        read_bytes,
    )
    from newsents.load.formats import ReadOptions, read_source
    from newsents.load.text import (
        checked_text,
        content_id,
        normalise_newlines,
        parse_article,
        read_article,
        text_for_nlp,
    )

_HOMES = {
    "MAX_ARTICLE_BYTES": "newsents.load.files",
    "MAX_ARTICLE_CHARS": "newsents.load.files",
    "STDIN": "newsents.load.files",
    "iter_input_files": "newsents.load.files",
    "read_bytes": "newsents.load.files",
    "ReadOptions": "newsents.load.formats",
    "read_source": "newsents.load.formats",
    "checked_text": "newsents.load.text",
    "content_id": "newsents.load.text",
    "normalise_newlines": "newsents.load.text",
    "parse_article": "newsents.load.text",
    "read_article": "newsents.load.text",
    "text_for_nlp": "newsents.load.text",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'newsents.load' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "decode",
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "STDIN",
    "ReadOptions",
    "checked_text",
    "content_id",
    "iter_input_files",
    "normalise_newlines",
    "parse_article",
    "read_article",
    "read_bytes",
    "read_source",
    "text_for_nlp",
]
