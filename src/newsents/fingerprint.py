"""Fingerprints of the code and word lists behind each stored result.

The store keys what it caches by these, so a build whose rules changed never serves results of
the rules before it, and nobody has to remember to bump a version number:

- `model_input`: what the model is shown (the loader and the text prepared for it, and the
  models they are made of); with the model's identity it keys the cached model output.
- `model_runner`: what turns the model's text into its output (nlp.py and `ModelOutput`). A
  stored output is kept with a digest of the text the model read, so a changed loader that
  shows the model the same text reuses it: no NLP again (pipeline.py).
- `article_rules`: everything that turns model output into an article's resolved mentions.
- `corpus_rules`: everything that turns the resolved articles into the stored graph.
"""

from __future__ import annotations

import ast
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
    "words/photo_agencies.txt",
    "words/photo_credit_notes.txt",
)
# Of models.py, only what the loader and the model's input and output are made of: any other
# change to models.py (an output model such as `EntityReport`) re-resolves the articles from
# the stored model output (ARTICLE_RULES has the whole file), with no NLP.
MODEL_INPUT_MODELS = (
    "SourceFormat",
    "Section",
    "MENTION_SECTIONS",
    "Model",
    "Block",
    "Article",
    "LoadedArticle",
    "ModelOutput",
)
MODEL_INPUT = ("load", "nlp.py", "lexicon.py", *LOADER_WORDS)
# What the model's output is, given its text: how the pipeline is loaded and run, the output's
# model (and the base class whose configuration it takes), and the libraries that run it.
MODEL_RUNNER = ("nlp.py",)
MODEL_RUNNER_MODELS = ("Model", "ModelOutput")
MODEL_RUNNER_LIBRARIES = ("spacy", "thinc")
ARTICLE_RULES_ONLY = ("models.py", "resolve", "words")
ARTICLE_RULES = (*MODEL_INPUT, *ARTICLE_RULES_ONLY)
CORPUS_RULES = (*ARTICLE_RULES, "graph.py", "graph_update.py", "salience.py", "aliases.py")


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
    digest = hashlib.sha256(fingerprint(MODEL_INPUT).encode())
    digest.update(definitions("models.py", MODEL_INPUT_MODELS).encode())
    return digest.hexdigest()[:16]


def model_runner() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(fingerprint(MODEL_RUNNER).encode())
    digest.update(definitions("models.py", MODEL_RUNNER_MODELS).encode())
    for library in MODEL_RUNNER_LIBRARIES:
        digest.update(f"\0{library} {version(library)}".encode())
    return digest.hexdigest()[:16]


def text_digest(model_text: str) -> str:
    """What a stored model output records of the text the model read."""
    return hashlib.blake2b(model_text.encode(), digest_size=16).hexdigest()


@functools.cache
def definitions(module: str, names: tuple[str, ...]) -> str:
    """The source of the named top-level definitions (classes, assignments) of a package
    module, in the order named; a name it does not define is an error, so a renamed model
    cannot drop out of a fingerprint unnoticed."""
    source = (_PACKAGE / module).read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        for name in _names_defined(node):
            found[name] = "".join(lines[node.lineno - 1 : node.end_lineno])
    missing = [n for n in names if n not in found]
    if missing:
        raise LookupError(f"{module} defines no {', '.join(missing)}")
    return "\0".join(f"{n}\0{found[n]}" for n in names)


def _names_defined(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def reader(options: str) -> str:
    """The loader and the options it reads with (`ReadOptions`' repr): a file read by the same
    reader and unchanged since holds the same articles."""
    return hashlib.sha256(f"{model_input()}\0{options}".encode()).hexdigest()[:16]


def article_rules() -> str:
    return fingerprint(ARTICLE_RULES)


def corpus_rules() -> str:
    return fingerprint(CORPUS_RULES)
