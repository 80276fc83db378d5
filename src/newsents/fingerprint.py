"""Fingerprints of the code and word lists behind each stored result.

The store keys what it caches by these, so a build whose rules changed never serves results of
the rules before it, and nobody has to remember to bump a version number:

- `model_input`: what the model is shown (the loader and the text prepared for it);
  with the model's identity it keys the cached model output.
- `article_rules`: everything that turns model output into an article's resolved mentions.
- `corpus_rules`: everything that turns the resolved articles into the stored graph.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).parent

# What the model is shown depends on the loader, the text prepared for the model (which
# blanks the sections models.py names), the lexicon module that reads the loader's word lists,
# and those lists; the rules' own lists are not part of it: a changed rule re-resolves from
# the stored model output, with no NLP.
LOADER_WORDS = (
    "words/months.txt",
    "words/name_particles.txt",
    "words/byline_stop_words.txt",
    "words/author_roles.txt",
    "words/weekdays.txt",
)
MODEL_INPUT = ("load", "nlp.py", "models.py", "lexicon.py", *LOADER_WORDS)
ARTICLE_RULES_ONLY = ("resolve", "words")
ARTICLE_RULES = (*MODEL_INPUT, *ARTICLE_RULES_ONLY)
CORPUS_RULES = (*ARTICLE_RULES, "graph.py", "salience.py", "aliases.py")


@functools.cache
def fingerprint(parts: tuple[str, ...]) -> str:
    """A short hash of the package files (and folders, recursively) named in parts."""
    digest = hashlib.sha256()
    for part in parts:
        path = _PACKAGE / part
        files = sorted(p for p in path.rglob("*") if _is_source(p)) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _is_source(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"


def model_input() -> str:
    return fingerprint(MODEL_INPUT)


def reader(options: str) -> str:
    """The loader and the options it reads with (`ReadOptions`' repr): a file read by the same
    reader and unchanged since holds the same articles."""
    return hashlib.sha256(f"{model_input()}\0{options}".encode()).hexdigest()[:16]


def article_rules() -> str:
    return fingerprint(ARTICLE_RULES)


def corpus_rules() -> str:
    return fingerprint(CORPUS_RULES)
