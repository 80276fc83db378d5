"""`evaluate`: run the pipeline in memory over a gold-annotated JSON Lines file and score it.

Formats (detected from the first line's keys) and what is scored on each by default:

- ``conll``: ``{"id","text","entities":[{"start","end","label"}]}`` → mentions, entity sets
- ``gum``: ``{"id","text","mentions":[{"start","end","text","etype","proper","uri"}]}`` →
  mentions, entity sets (``--links`` for its Wikipedia links)
- ``aida``: ``{"id","text","mentions":[{"start","end","text","uri"}]}`` → links
- ``tbaq``: ``{"id","dct","text","timexes":[{"start","end","type","value"}]}`` → timex

docs/evaluation.md says exactly how each measure is computed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from newsents.errors import InputError
from newsents.models import (
    EvaluationReport,
    GoldFormat,
    Graph,
    LinkScores,
    LoadedArticle,
    Mention,
    MentionScores,
    Score,
    TimexScores,
)
from newsents.resolve.names import canonical_key, clean_name

LABEL_OF_TYPE = {"person": "PER", "organization": "ORG", "place": "LOC"}
SCORED_LABELS = ("PER", "ORG", "LOC")
GUM_LABEL_OF_ETYPE = {"person": "PER", "organization": "ORG", "place": "LOC"}
CALENDAR_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{1,2})?$")
# GUM marks whole noun phrases; a mention counts as a name when, without a leading `the` and a
# possessive, every word is capitalised or one of these joining words.
_NAME_JOINERS = frozenset({"of", "and", "for", "the", "de", "del", "da", "von", "van", "&", "-"})
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"\s*(?:['’]s|['’])$")


# --- gold file --------------------------------------------------------------------------------


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GoldEntity(_Gold):
    start: int
    end: int
    label: str


class GoldMention(_Gold):
    start: int
    end: int
    text: str
    uri: str | None = None
    etype: str | None = None
    proper: bool = False


class GoldTimex(_Gold):
    start: int
    end: int
    type: str
    value: str | None = None


class GoldDocument(_Gold):
    id: str
    text: str
    dct: str | None = None
    entities: list[GoldEntity] | None = None
    mentions: list[GoldMention] | None = None
    timexes: list[GoldTimex] | None = None


def read_gold(path: str | Path, *, limit: int | None = None) -> list[GoldDocument]:
    """The documents of a gold JSON Lines file (the first `limit`); InputError when malformed."""
    name = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read the gold file ({exc})") from exc
    documents: list[GoldDocument] = []
    for number, line in enumerate(lines, start=1):
        if limit is not None and len(documents) >= limit:
            break
        if line.strip():
            documents.append(_gold_document(line, name, number))
    if not documents:
        raise InputError(name, "no documents: expected one JSON object per line")
    _check_unique_ids(documents, name)
    return documents


def _gold_document(line: str, name: str, number: int) -> GoldDocument:
    try:
        return GoldDocument.model_validate(json.loads(line))
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {number} is not JSON ({exc.msg})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(name, f"line {number}: {where}: {first['msg']}") from exc


def _check_unique_ids(documents: list[GoldDocument], name: str) -> None:
    counts = Counter(d.id for d in documents)
    repeated = sorted(i for i, n in counts.items() if n > 1)
    if repeated:
        raise InputError(name, f"document id {repeated[0]!r} occurs more than once")


_ANNOTATION_OF_FORMAT = {
    "tbaq": "timexes",
    "conll": "entities",
    "gum": "mentions",
    "aida": "mentions",
}


def check_documents(documents: list[GoldDocument], fmt: GoldFormat, name: str) -> None:
    """Every document carries its format's annotations, and every offset lies in its text:
    a gold file that says less than it seems to would be scored wrongly without a word."""
    key = _ANNOTATION_OF_FORMAT[fmt]
    for number, document in enumerate(documents, start=1):
        annotations = getattr(document, key)
        if annotations is None:
            raise InputError(name, f"document {number} ({document.id}) has no {key!r}")
        for a in annotations:
            if not 0 <= a.start < a.end <= len(document.text):
                raise InputError(
                    name,
                    f"document {number} ({document.id}): offsets {a.start}-{a.end} are "
                    f"outside its text ({len(document.text)} characters)",
                )


def detect_format(first: GoldDocument, *, name: str = "gold") -> GoldFormat:
    """What kind of gold a file holds, from its first document."""
    if first.timexes is not None:
        return "tbaq"
    if first.entities is not None:
        return "conll"
    if first.mentions is not None:
        return "gum" if any(m.etype is not None for m in first.mentions) else "aida"
    raise InputError(name, "no 'entities', 'mentions' or 'timexes' to score against")


# --- predictions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    """One predicted mention, with the entity it was grouped into."""

    doc: str
    start: int
    end: int
    type: str
    entity_id: str
    name: str
    value: str | None = None


def load_gold_article(document: GoldDocument) -> LoadedArticle:
    """The article the loader makes of a gold text; TBAQ's publication date set from `dct`."""
    from newsents.load import parse_article

    loaded = parse_article(
        document.text, path=document.id, article_id=document.id, encoding="utf-8"
    )
    if loaded.text != document.text:
        raise InputError(document.id, "text has \\r line ends: gold offsets would not hold")
    if document.dct:
        loaded.article.published = document.dct
    return loaded


def predict(documents: list[GoldDocument], *, model: str | None) -> tuple[str, Graph]:
    """The model used and the graph the pipeline makes of the gold texts (nothing is stored)."""
    from newsents.graph import build_graph
    from newsents.nlp import analyze, load_pipeline, model_name
    from newsents.resolve import analyse_article

    name = model_name(model)
    nlp = load_pipeline(name)
    articles = [load_gold_article(d) for d in documents]
    return name, build_graph(analyse_article(*pair) for pair in analyze(articles, nlp))


def name_span(mention: Mention) -> tuple[int, int]:
    """Where the mention's clean name lies in the source: a mention keeps the model's exact
    span (`Dean Helen Hai’s`), the scored span is the name's (`Helen Hai`). Dates keep theirs."""
    if mention.value is not None or mention.relative:
        return mention.start, mention.end
    at = mention.text.find(mention.name)
    if at < 0:
        return mention.start, mention.end
    return mention.start + at, mention.start + at + len(mention.name)


def predicted_mentions(graph: Graph) -> list[Predicted]:
    """Every mention of the graph, sorted by document and offset."""
    found = [
        Predicted(
            doc=m.article,
            start=name_span(m)[0],
            end=name_span(m)[1],
            type=entity.type,
            entity_id=entity.id,
            name=m.name,
            value=m.value,
        )
        for entity in graph.entities
        for m in entity.mentions
    ]
    return sorted(found, key=lambda p: (p.doc, p.start, p.end, p.entity_id))


# --- scoring ----------------------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> Score:
    """Precision, recall and F1 (0 where undefined), rounded to 4 decimals."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
    )


Span = tuple[str, int, int, str]  # document, start, end, label


def score_spans(gold: set[Span], predicted: set[Span]) -> MentionScores:
    """Exact-match scores per label and micro-averaged over PER, ORG and LOC."""
    by_label = {}
    for label in SCORED_LABELS:
        g = {s for s in gold if s[3] == label}
        p = {s for s in predicted if s[3] == label}
        by_label[label] = prf(len(g & p), len(p - g), len(g - p))
    total = prf(*(sum(getattr(s, k) for s in by_label.values()) for k in ("tp", "fp", "fn")))
    return MentionScores(by_label=by_label, total=total)


NameSet = dict[str, set[tuple[str, str]]]  # document → {(normalised name, label)}


def score_entity_sets(gold: NameSet, predicted: NameSet) -> Score:
    """Per document, the set of (name, label) found against gold; counts summed over documents."""
    tp = fp = fn = 0
    for doc in sorted(gold.keys() | predicted.keys()):
        g, p = gold.get(doc, set()), predicted.get(doc, set())
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return prf(tp, fp, fn)


def normalised_name(text: str) -> str:
    return canonical_key(clean_name(text))


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def score_pairs(matched: list[tuple[str, str, str]]) -> tuple[Score, Score]:
    """Same-entity pair scores within documents and across the corpus.

    `matched` holds (document, predicted entity id, gold uri) for each detected mention whose
    span equals a gold linked mention. Pairs are counted per group, never enumerated.
    """
    within = _pair_score(matched, lambda doc, key: (doc, key))
    across = _pair_score(matched, lambda doc, key: key)
    return within, across


def _pair_score(matched: list[tuple[str, str, str]], scope: Callable[[str, Any], Any]) -> Score:
    made = _pairs(Counter(scope(d, e) for d, e, _ in matched).values())
    should = _pairs(Counter(scope(d, u) for d, _, u in matched).values())
    right = _pairs(Counter(scope(d, (e, u)) for d, e, u in matched).values())
    return prf(right, made - right, should - right)


Timex = tuple[str, int, int, str | None]  # document, start, end, value


def score_timexes(gold: list[Timex], predicted: list[Timex]) -> TimexScores:
    """Gold timexes overlapped by a predicted date, and those among them with the same value."""
    by_doc: dict[str, list[Timex]] = {}
    for p in predicted:
        by_doc.setdefault(p[0], []).append(p)
    overlapped = correct = 0
    for doc, start, end, value in gold:
        hits = [p for p in by_doc.get(doc, []) if p[1] < end and start < p[2]]
        overlapped += bool(hits)
        correct += any(p[3] == value for p in hits)
    accuracy = round(correct / len(gold), 4) if gold else 0.0
    return TimexScores(gold=len(gold), overlapped=overlapped, correct=correct, accuracy=accuracy)


# --- gold and predictions in the shape the scorers take ---------------------------------------


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a leading `the` and a trailing possessive (GUM marks noun phrases)."""
    piece = text[start:end]
    lead = _LEADING_THE.match(piece)
    if lead:
        start += lead.end()
        piece = piece[lead.end() :]
    tail = _TRAILING_POSSESSIVE.search(piece)
    if tail and tail.start() > 0:
        end -= len(piece) - tail.start()
    return start, end


def is_name_like(text: str) -> bool:
    """Whether a GUM mention reads as a name ('United States Navy'), not a description."""
    words = text.split()
    return bool(words) and all(
        w[0].isupper() or w[0].isdigit() or w in _NAME_JOINERS for w in words
    )


def gold_name_mentions(document: GoldDocument, fmt: GoldFormat) -> list[tuple[int, int, str]]:
    """(start, end, label) of the gold names scored: PER/ORG/LOC; GUM spans trimmed."""
    if fmt == "conll":
        return [
            (e.start, e.end, e.label) for e in document.entities or [] if e.label in SCORED_LABELS
        ]
    found = []
    for m in document.mentions or []:
        label = GUM_LABEL_OF_ETYPE.get(m.etype or "")
        if label is None or not m.proper:
            continue
        start, end = trim_span(document.text, m.start, m.end)
        if is_name_like(document.text[start:end]):
            found.append((start, end, label))
    return found


def mention_sets(
    documents: list[GoldDocument], fmt: GoldFormat, predicted: list[Predicted]
) -> tuple[set[Span], set[Span]]:
    """Gold and predicted spans; for GUM, predictions end-aligned inside a gold mention take
    its span."""
    gold = {(d.id, s, e, label) for d in documents for s, e, label in gold_name_mentions(d, fmt)}
    spans = {
        (p.doc, p.start, p.end, LABEL_OF_TYPE[p.type]) for p in predicted if p.type in LABEL_OF_TYPE
    }
    if fmt == "conll":
        return gold, spans
    return end_aligned(gold), snap_to_gold(spans, end_aligned(gold), documents)


def end_aligned(gold: set[Span]) -> set[Span]:
    """One gold span per (document, end, label): the outermost (`U.S. Senator Helen Marchbank`
    rather than a nested `Helen Marchbank`)."""
    outermost: dict[tuple[str, int, str], int] = {}
    for doc, start, end, label in sorted(gold):
        outermost.setdefault((doc, end, label), start)
    return {(doc, start, end, label) for (doc, end, label), start in outermost.items()}


def snap_to_gold(spans: set[Span], gold: set[Span], documents: list[GoldDocument]) -> set[Span]:
    """Trimmed predicted spans; one that ends where a gold span of its label ends, inside it,
    takes the gold span (`Helen Marchbank` in `U.S. Senator Helen Marchbank`)."""
    texts = {d.id: d.text for d in documents}
    starts = {(doc, end, label): start for doc, start, end, label in gold}
    snapped = set()
    for doc, start, end, label in spans:
        start, end = trim_span(texts[doc], start, end)
        gold_start = starts.get((doc, end, label))
        if gold_start is not None and gold_start <= start:
            start = gold_start
        snapped.add((doc, start, end, label))
    return snapped


def name_sets(
    documents: list[GoldDocument], fmt: GoldFormat, predicted: list[Predicted]
) -> tuple[NameSet, NameSet]:
    """Gold: each scored gold mention's normalised name; predicted: each mention's, typed by
    its entity. Merging two names into one entity therefore never costs recall here."""
    gold: NameSet = {
        d.id: {(normalised_name(d.text[s:e]), label) for s, e, label in gold_name_mentions(d, fmt)}
        for d in documents
    }
    found: NameSet = {d.id: set() for d in documents}
    for p in predicted:
        if p.type in LABEL_OF_TYPE:
            found[p.doc].add((normalised_name(p.name), LABEL_OF_TYPE[p.type]))
    return gold, found


def link_scores(documents: list[GoldDocument], predicted: list[Predicted]) -> LinkScores:
    linked = {(d.id, m.start, m.end): m.uri for d in documents for m in d.mentions or [] if m.uri}
    matched = [
        (p.doc, p.entity_id, linked[(p.doc, p.start, p.end)])
        for p in predicted
        if p.type in LABEL_OF_TYPE and (p.doc, p.start, p.end) in linked
    ]
    within, across = score_pairs(matched)
    return LinkScores(
        gold_mentions=len(linked),
        matched_mentions=len(matched),
        within_documents=within,
        across_corpus=across,
    )


def timex_scores(documents: list[GoldDocument], predicted: list[Predicted]) -> TimexScores:
    gold: list[Timex] = [
        (d.id, t.start, t.end, t.value)
        for d in documents
        for t in d.timexes or []
        if t.type == "DATE" and t.value and CALENDAR_VALUE.match(t.value)
    ]
    dates = [(p.doc, p.start, p.end, p.value) for p in predicted if p.type == "date"]
    return score_timexes(gold, dates)


# --- the whole evaluation ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Measures:
    mentions: bool
    links: bool
    timex: bool


def choose_measures(fmt: GoldFormat, *, links: bool | None, timex: bool | None) -> _Measures:
    """Explicit --links/--timex select only those; otherwise what the format annotates."""
    if links or timex:
        return _Measures(mentions=False, links=bool(links), timex=bool(timex))
    return _Measures(mentions=fmt in ("conll", "gum"), links=fmt == "aida", timex=fmt == "tbaq")


def _check_annotated(documents: list[GoldDocument], measures: _Measures, name: str) -> None:
    if measures.links and not any(m.uri for d in documents for m in d.mentions or []):
        raise InputError(name, "no mentions with a 'uri': --links needs an AIDA-style file")
    if measures.timex and not any(d.timexes for d in documents):
        raise InputError(name, "no 'timexes': --timex needs a TBAQ-style file")


def evaluate(
    gold_path: str | Path,
    *,
    model: str | None = None,
    links: bool | None = None,
    timex: bool | None = None,
    limit: int | None = None,
) -> EvaluationReport:
    """Score the pipeline against a gold JSON Lines file (its first `limit` documents).

    `links`/`timex` True select those measures only; None scores what the file annotates.
    Raises InputError for a malformed gold file, ModelNotInstalledError for a missing model.
    """
    documents = read_gold(gold_path, limit=limit)
    fmt = detect_format(documents[0], name=str(gold_path))
    check_documents(documents, fmt, str(gold_path))
    measures = choose_measures(fmt, links=links, timex=timex)
    _check_annotated(documents, measures, str(gold_path))
    model_used, graph = predict(documents, model=model)
    predicted = predicted_mentions(graph)
    report = EvaluationReport(
        gold=str(gold_path), format=fmt, model=model_used, documents=len(documents)
    )
    if measures.mentions:
        report.mentions = score_spans(*mention_sets(documents, fmt, predicted))
        report.entity_set = score_entity_sets(*name_sets(documents, fmt, predicted))
    if measures.links:
        report.links = link_scores(documents, predicted)
    if measures.timex:
        report.timex = timex_scores(documents, predicted)
    return report


def headline_figures(report: EvaluationReport) -> dict[str, float]:
    """The figures people compare across models and rules, in % with one decimal: mention F1
    (all and per label) and entity-set F1; same-entity F1 and precision within documents and
    across the corpus; date values right. Only what the report measured."""
    row: dict[str, float] = {}
    if report.mentions is not None:
        row["mention_f1"] = _percent(report.mentions.total.f1)
        for label, score in sorted(report.mentions.by_label.items()):
            row[f"{label}_f1"] = _percent(score.f1)
    if report.entity_set is not None:
        row["entity_set_f1"] = _percent(report.entity_set.f1)
    if report.links is not None:
        row["within_f1"] = _percent(report.links.within_documents.f1)
        row["within_p"] = _percent(report.links.within_documents.precision)
        row["corpus_f1"] = _percent(report.links.across_corpus.f1)
        row["corpus_p"] = _percent(report.links.across_corpus.precision)
    if report.timex is not None:
        row["date_values"] = _percent(report.timex.accuracy)
    return row


def _percent(fraction: float) -> float:
    return round(100 * fraction, 1)
