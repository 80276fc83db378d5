"""A self-contained HTML page that shows an entity graph: `newsents export --format html`.

The page is one file with everything inlined (the vendored vis-network build, the page's own
CSS and JS, and the graph as a JSON block), so it opens offline and can be mailed around.
The template lives in `templates/graph.html` and the library in `vendor/`; both are package data.
"""

from __future__ import annotations

import io
import json
import logging
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .models import COOCCURRENCE_SECTIONS, Article, Graph, Relation, Sentence

logger = logging.getLogger(__name__)

__all__ = ["EVIDENCE_PER_NODE", "PageParts", "graph_data", "render_html", "write_page"]

# Evidence sentences kept per entity: enough to see why it links, small enough for big graphs.
EVIDENCE_PER_NODE = 5
# The page opens on this many entities, the most salient, laid out here; the others are
# drawn when asked for (a neighbour, a search), placed beside what they link to.
START_NODES = 300
# The layout's spread, in the page's canvas units.
_LAYOUT_SCALE = 1000
# How far a guessed sentence boundary may lie from the mentions it holds.
_SENTENCE_REACH = 300
_PLACEHOLDER = re.compile(r"\{\{(VIS_NETWORK_JS|GRAPH_DATA)\}\}")
_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")
# A full stop after one of these (or after a single capital, an initial) ends no sentence.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "rep", "sen"}
    | {"gov", "prof", "inc", "co", "corp", "ltd", "no", "vs", "rev"}
)

SentenceSpans = Mapping[str, Sequence[Sentence]]
SentenceBounds = Mapping[int, tuple[int, int]]  # a sentence's index → its (start, end)


@dataclass
class PageParts:
    """What the page shows, read as it is written. `texts(ids)` yields (id, text, sentence
    bounds or None) for those of the article ids (in the order given) that have a text; the
    bounds map a sentence's index to its (start, end), as stored with each analysis (without
    them, sentences are guessed from punctuation around the mentions). Entities are read once,
    one at a time; no more of their mentions is kept than offsets in compact arrays, and no
    text but the one being read. `entities` are records, as `Entity.model_dump(mode="json")`
    gives them (the store's own JSON, parsed: no model need be built for each)."""

    articles: Iterable[Article]
    entities: Iterable[dict[str, Any]]
    edges: Iterable[tuple[str, str, int]]  # source, target, weight
    relations: Iterable[Relation]
    texts: Callable[[Sequence[str]], Iterator[tuple[str, str, SentenceBounds | None]]]
    salience: Mapping[str, float] | None = None


def render_html(
    graph: Graph,
    texts: Mapping[str, str],
    *,
    sentences: SentenceSpans | None = None,
    salience: Mapping[str, float] | None = None,
) -> str:
    """The graph as one self-contained HTML page.

    `texts` maps an article id to the article's decoded source text (mention offsets index
    into it); an article without text is listed but shows no text or evidence. `sentences`
    (article id → its sentences, as stored with each analysis) gives exact sentence bounds for
    the evidence; without it they are guessed from punctuation around the mentions.
    `salience` (entity id → its salience over the corpus, as the store keeps it) chooses
    the entities the page opens on; without it, the most mentioned.
    Same input, byte-identical output.
    """
    out = io.StringIO()
    write_page(_parts_of(graph, texts, sentences, salience), out.write)
    return out.getvalue()


def write_page(parts: PageParts, write: Callable[[str], Any]) -> None:
    """The page, written as it is made (`newsents export --format html` streams it from the
    store)."""
    pieces = _PLACEHOLDER.split(_template())
    for n, piece in enumerate(pieces):
        if n % 2 == 0:
            write(piece)
        elif piece == "GRAPH_DATA":
            _write_data(parts, write)
        else:
            write(_vis_network_js())


def graph_data(
    graph: Graph,
    texts: Mapping[str, str],
    *,
    sentences: SentenceSpans | None = None,
    salience: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The JSON the page reads: compact, sorted, offsets in UTF-16 code units as JS counts."""
    out = io.StringIO()
    _write_data(_parts_of(graph, texts, sentences, salience), out.write)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _parts_of(
    graph: Graph,
    texts: Mapping[str, str],
    sentences: SentenceSpans | None,
    salience: Mapping[str, float] | None,
) -> PageParts:
    known = sentences or {}

    def texts_of(ids: Sequence[str]) -> Iterator[tuple[str, str, SentenceBounds | None]]:
        for article_id in ids:
            if article_id in texts:
                found = known.get(article_id)
                bounds = {s.index: (s.start, s.end) for s in found} if found else None
                yield article_id, texts[article_id], bounds

    edges = [(e.source, e.target, e.weight) for e in graph.edges]
    entities = (entity.model_dump(mode="json") for entity in graph.entities)
    return PageParts(graph.articles, entities, edges, graph.relations, texts_of, salience)


@dataclass
class _Node:
    """An entity as the page lists it, less its evidence and place."""

    record: dict[str, Any]
    name: str
    mentions: int


# Per mention, in an article's array: start, end, the entity's number, sentence, whether the
# sentence counts for co-occurrence.
_MENTION_FIELDS = 5


def _write_data(parts: PageParts, write: Callable[[str], Any]) -> None:
    articles = sorted(parts.articles, key=lambda article: (article.path, article.id))
    order = {article.id: index for index, article in enumerate(articles)}
    ids: list[str] = []  # an entity's number → its id
    nodes: dict[str, _Node] = {}
    in_article: dict[str, array[int]] = defaultdict(lambda: array("q"))
    for entity in parts.entities:
        number = len(ids)
        ids.append(entity["id"])
        nodes[entity["id"]] = _node(entity, order, parts.salience)
        for m in entity["mentions"]:
            cooccurs = m["section"] in COOCCURRENCE_SECTIONS
            in_article[m["article"]].extend((m["start"], m["end"], number, m["sentence"], cooccurs))
    number_of = {entity_id: number for number, entity_id in enumerate(ids)}

    edges = sorted(parts.edges)
    neighbours: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for source, target, weight in edges:
        neighbours[source].append((weight, target))
        neighbours[target].append((weight, source))
    ranked: dict[int, list[int]] = {}  # an entity's number → its strongest neighbours'
    for entity_id, linked in neighbours.items():
        linked.sort(key=lambda pair: (-pair[0], nodes[pair[1]].name, pair[1]))
        ranked[number_of[entity_id]] = [number_of[n] for _, n in linked[:_EVIDENCE_NEIGHBOURS]]

    _write = _script_writer(write)
    # The texts come first, written as they are read in the one pass that finds the evidence.
    _write('{"texts":{')
    shared, sentences, marks = _read_articles(
        parts, [a.id for a in articles], in_article, ids, ranked, _write
    )
    in_article.clear()

    opening = _start_nodes(nodes, parts.salience or {})
    placed = _layout(opening, edges)
    _write('},"articles":')
    _write(_dumps([_article_record(article) for article in articles]))
    _write(',"edges":')
    _write(_dumps(edges))
    _write(',"mentions":{')
    for n, article_id in enumerate(sorted(marks)):
        found = marks[article_id]
        kept = [[found[i], found[i + 1], ids[found[i + 2]]] for i in range(0, len(found), 3)]
        _write(("," if n else "") + _dumps(article_id) + ":" + _dumps(kept))
    _write('},"nodes":[')
    for n, entity_id in enumerate(sorted(nodes)):
        record = nodes[entity_id].record
        number = number_of[entity_id]
        record["evidence"] = [
            [article_id, start, end, [m for m in members if m != entity_id]]
            for article_id, start, end, members in (
                sentences[key] for key in _evidence(number, ranked.get(number, []), shared)
            )
        ]
        if entity_id in placed:
            record["x"], record["y"] = placed[entity_id]
        _write(("," if n else "") + _dumps(record))
    _write('],"relations":')
    _write(_dumps(sorted([r.source, r.target, r.kind, r.reason] for r in parts.relations)))
    _write(',"start":')
    _write(_dumps(opening))
    _write("}")


# Evidence is looked for in the sentences an entity shares with this many of its neighbours,
# the strongest.
_EVIDENCE_NEIGHBOURS = 50


def _node(
    entity: dict[str, Any], order: Mapping[str, int], salience: Mapping[str, float] | None
) -> _Node:
    entity_id = entity["id"]
    record: dict[str, Any] = {
        "id": entity_id,
        "name": entity["name"],
        "type": entity["type"],
        "aliases": entity["aliases"],
        "merges": [[merge["alias"], merge["reason"]] for merge in entity["merges"]],
        "mentions": entity["mention_count"],
        "articles": sorted(
            {m["article"] for m in entity["mentions"]}, key=lambda a: order.get(a, -1)
        ),
    }
    if salience is not None and entity_id in salience:
        record["salience"] = salience[entity_id]
    if entity.get("value"):
        record["value"] = entity["value"]
    if entity.get("ambiguous"):
        record["ambiguous"] = True
    return _Node(record, entity["name"], entity["mention_count"])


def _article_record(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "authors": article.authors,
        "published": article.published,
    }


# One sentence that may serve as evidence: article id, start and end in UTF-16, the entities
# (ids, sorted) that stand in it.
_Sentence = tuple[str, int, int, list[str]]


def _read_articles(
    parts: PageParts,
    article_ids: list[str],
    in_article: dict[str, array[int]],
    ids: list[str],
    ranked: Mapping[int, list[int]],
    write: Callable[[str], Any],
) -> tuple[dict[tuple[int, int], list[int]], list[_Sentence], dict[str, array[int]]]:
    """One pass over the texts, in the page's article order, writing each (`"id":"text"`, a
    comma between). Finds, for each entity and each of its strongest neighbours, the first
    EVIDENCE_PER_NODE sentences they share (all that `_evidence` can take), and the marks of
    each text. Returns those shared sentences (by entity and neighbour number), the sentences
    they point to, and the marks (flat: start, end, entity number, in UTF-16) by article."""
    strongest = {number: set(linked) for number, linked in ranked.items()}
    shared: dict[tuple[int, int], list[int]] = {}
    sentences: list[_Sentence] = []
    marks: dict[str, array[int]] = {}
    for n, (article_id, text, known) in enumerate(parts.texts(article_ids)):
        write(("," if n else "") + _dumps(article_id) + ":" + _dumps(text))
        found = in_article.pop(article_id, None)
        if not found:
            continue
        convert = _utf16_offsets(text)
        bounds: dict[int, tuple[int, int]] = {}
        together: dict[int, set[int]] = defaultdict(set)
        highlights = []
        fields = iter(found)
        for start, end, number, sentence, cooccurs in zip(*[fields] * _MENTION_FIELDS, strict=True):
            highlights.append((start, end, ids[number], number))
            lo, hi = bounds.get(sentence, (start, end))
            bounds[sentence] = (min(lo, start), max(hi, end))
            if cooccurs:
                together[sentence].add(number)
        marks[article_id] = _marks(highlights, convert)
        spans = _sentence_spans(bounds, text, known or {})
        for sentence in sorted(together):
            members = together[sentence]
            if len(members) < 2:
                continue  # shared with nobody
            at: int | None = None
            for number in members:
                for other in members & strongest.get(number, set()):
                    found_together = shared.setdefault((number, other), [])
                    if len(found_together) >= EVIDENCE_PER_NODE:
                        continue
                    if at is None:
                        at = len(sentences)
                        start, end = spans[sentence]
                        names = sorted(ids[m] for m in members)
                        sentences.append((article_id, convert(start), convert(end), names))
                    found_together.append(at)
    return shared, sentences, marks


def _marks(
    highlights: list[tuple[int, int, str, int]], convert: Callable[[int], int]
) -> array[int]:
    """Nested or overlapping mentions: the first, longest one is marked."""
    kept = array("q")
    cursor = 0
    for start, end, _, number in sorted(highlights, key=lambda m: (m[0], -m[1], m[2])):
        if start >= cursor:
            kept.extend((convert(start), convert(end), number))
            cursor = end
    return kept


def _script_writer(write: Callable[[str], Any]) -> Callable[[str], Any]:
    """Writes JSON that cannot end or confuse the <script> block it sits in (each piece a
    whole value or punctuation, so no `</` is split between two)."""
    return lambda piece: write(piece.replace("</", "<\\/").replace("<!--", "\\u003c!--"))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _start_nodes(nodes: Mapping[str, _Node], salience: Mapping[str, float]) -> list[str]:
    """The entities the page opens on: the most salient, then the most mentioned."""
    ranked = sorted(
        nodes, key=lambda i: (-salience.get(i, 0.0), -nodes[i].mentions, nodes[i].name, i)
    )
    return ranked[:START_NODES]


def _layout(ids: Sequence[str], edges: Iterable[Sequence[Any]]) -> dict[str, tuple[int, int]]:
    """A force-directed layout of the start entities and their links (networkx's spring
    layout, seeded: the same graph is laid out the same), so the page draws at once."""
    import networkx as nx

    kept = set(ids)
    g = nx.Graph()
    g.add_nodes_from(sorted(kept))
    g.add_edges_from((s, t) for s, t, *_ in edges if s in kept and t in kept)
    if not g:
        return {}
    # A longer spring than the default (1/sqrt(n)) spreads the dense core of a news corpus.
    # Fifty iterations (the default) place BBC's opening graph as well as a hundred do
    # (mean link length against the median distance: 0.473 and 0.468) in half the time.
    spring = 3 / max(1, len(g)) ** 0.5
    placed = nx.spring_layout(g, k=spring, seed=7, iterations=50, scale=_LAYOUT_SCALE)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in sorted(placed.items())}


def _evidence(
    number: int, neighbours: list[int], shared: Mapping[tuple[int, int], list[int]]
) -> list[int]:
    """Up to EVIDENCE_PER_NODE sentences the entity shares with neighbours, strongest first.

    Taken round-robin over the neighbours so that the evidence shows several links, not five
    sentences about the strongest one. (Past the fifth sentence shared with one neighbour,
    five are chosen already: `shared` needs no more.)
    """
    lists = [shared.get((number, other), []) for other in neighbours]
    chosen: list[int] = []
    depth = 0
    while len(chosen) < EVIDENCE_PER_NODE and any(depth < len(keys) for keys in lists):
        for keys in lists:
            if depth < len(keys) and keys[depth] not in chosen:
                chosen.append(keys[depth])
                if len(chosen) == EVIDENCE_PER_NODE:
                    break
        depth += 1
    return chosen


def _sentence_spans(
    bounds: Mapping[int, tuple[int, int]], text: str, known: SentenceBounds
) -> dict[int, tuple[int, int]]:
    """Character bounds of every sentence of the article that holds a mention."""
    spans: dict[int, tuple[int, int]] = {}
    indices = sorted(bounds)
    for position, index in enumerate(indices):
        lo, hi = bounds[index]
        if index in known and known[index][0] <= lo and hi <= known[index][1]:
            spans[index] = known[index]
            continue
        # Guess, never reaching into the mentions of the sentences either side.
        floor = bounds[indices[position - 1]][1] if position else 0
        ceiling = bounds[indices[position + 1]][0] if position + 1 < len(indices) else len(text)
        spans[index] = (
            _sentence_start(text, lo, max(floor, lo - _SENTENCE_REACH)),
            _sentence_end(text, hi, min(ceiling, hi + _SENTENCE_REACH)),
        )
    return spans


def _sentence_start(text: str, lo: int, floor: int) -> int:
    position = lo
    while position > floor:
        char = text[position - 1]
        if char == "\n" or (char.isspace() and _ends_sentence(text, position - 1)):
            break
        position -= 1
    while position < lo and text[position].isspace():
        position += 1
    return position


def _sentence_end(text: str, hi: int, ceiling: int) -> int:
    position = hi
    while position < ceiling:
        char = text[position]
        if char == "\n" or (char.isspace() and _ends_sentence(text, position)):
            break
        position += 1
    while position > hi and text[position - 1].isspace():
        position -= 1
    return position


def _ends_sentence(text: str, space: int) -> bool:
    """Whether the text before the whitespace at `space` ends a sentence."""
    before = text[max(0, space - 40) : space].rstrip("\"'”’)]")
    if not before or before[-1] not in ".!?":
        return False
    if before[-1] != ".":
        return True
    word = before[:-1].rsplit(None, 1)[-1] if before[:-1].strip() else ""
    word = word.lstrip("\"'“‘([")
    return not (len(word) == 1 and word.isupper()) and word.lower() not in _ABBREVIATIONS


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """A function from a code-point offset in `text` to the UTF-16 offset JavaScript uses."""
    if not _ASTRAL.search(text):
        return lambda offset: offset
    table = [0]
    for char in text:
        table.append(table[-1] + (2 if ord(char) > 0xFFFF else 1))
    return table.__getitem__


def _template() -> str:
    return resources.files("newsents").joinpath("templates/graph.html").read_text("utf-8")


def _vis_network_js() -> str:
    code = resources.files("newsents").joinpath("vendor/vis-network.min.js").read_text("utf-8")
    code = _SOURCE_MAP.sub("\n", code)
    lowered = code.lower()
    if "</script" in lowered or "<!--" in lowered:  # would end the inline <script> early
        raise RuntimeError("vendor/vis-network.min.js cannot be inlined: it contains </script")
    return code
