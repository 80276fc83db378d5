"""The loader stage: article files and records to `LoadedArticle`s.

- `files`: finding files and reading their bytes safely;
- `decode`: bytes to text;
- `text`: text and Markdown articles, and the text the model is shown;
- `formats`: which reader reads a path (by extension, then content), and `read_source`, which
  yields every article a path holds.
"""

from newsents.load.decode import decode
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

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "STDIN",
    "ReadOptions",
    "checked_text",
    "content_id",
    "decode",
    "iter_input_files",
    "normalise_newlines",
    "parse_article",
    "read_article",
    "read_bytes",
    "read_source",
    "text_for_nlp",
]
