"""A self-contained HTML page that shows an entity graph: `newsents export --format html`.

The page is one file with everything inlined (the vendored vis-network build, the page's own
CSS and JS, and the graph as a JSON block), so it opens offline and can be mailed around.
The template lives in `templates/graph.html` and the library in `vendor/`; both are package data.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

from .models import COOCCURRENCE_SECTIONS, Graph, Sentence

logger = logging.getLogger(__name__)

__all__ = ["EVIDENCE_PER_NODE", "graph_data", "render_html"]

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


def render_html(
    graph: Graph,
    texts: dict[str, str],
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
    data = graph_data(graph, texts, sentences=sentences, salience=salience)
    parts = {"VIS_NETWORK_JS": _vis_network_js(), "GRAPH_DATA": _json_for_script(data)}
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], _template())


def graph_data(
    graph: Graph,
    texts: Mapping[str, str],
    *,
    sentences: SentenceSpans | None = None,
    salience: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The JSON the page reads: compact, sorted, offsets in UTF-16 code units as JS counts."""
    articles = sorted(graph.articles, key=lambda article: (article.path, article.id))
    texts = {article.id: texts[article.id] for article in articles if article.id in texts}
    to_js = {article_id: _utf16_offsets(text) for article_id, text in texts.items()}
    entities = sorted(graph.entities, key=lambda entity: entity.id)
    names = {entity.id: entity.name for entity in entities}

    # Which entities stand in each sentence: the same sentences edges are counted from.
    in_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    bounds: dict[tuple[str, int], tuple[int, int]] = {}
    highlights: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            if mention.article not in texts:
                continue
            highlights[mention.article].append((mention.start, mention.end, entity.id))
            key = (mention.article, mention.sentence)
            lo, hi = bounds.get(key, (mention.start, mention.end))
            bounds[key] = (min(lo, mention.start), max(hi, mention.end))
            if mention.section in COOCCURRENCE_SECTIONS:
                in_sentence[key].add(entity.id)
    sentence_of: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for key, members in in_sentence.items():
        for entity_id in members:
            sentence_of[entity_id].add(key)
    spans = _sentence_spans(bounds, texts, sentences or {})

    neighbours: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for edge in graph.edges:
        neighbours[edge.source].append((edge.weight, edge.target))
        neighbours[edge.target].append((edge.weight, edge.source))
    order = {article.id: index for index, article in enumerate(articles)}

    nodes = []
    for entity in entities:
        ranked = sorted(neighbours[entity.id], key=lambda pair: (-pair[0], names[pair[1]], pair[1]))
        evidence = []
        for article_id, index in _evidence(entity.id, [n for _, n in ranked], sentence_of, order):
            start, end = spans[(article_id, index)]
            with_ = sorted(in_sentence[(article_id, index)] - {entity.id})
            convert = to_js[article_id]
            evidence.append([article_id, convert(start), convert(end), with_])
        node: dict[str, Any] = {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "aliases": entity.aliases,
            "merges": [[merge.alias, merge.reason] for merge in entity.merges],
            "mentions": entity.mention_count,
            "articles": sorted(
                {m.article for m in entity.mentions}, key=lambda a: order.get(a, -1)
            ),
            "evidence": evidence,
        }
        if salience is not None and entity.id in salience:
            node["salience"] = salience[entity.id]
        if entity.value:
            node["value"] = entity.value
        if entity.ambiguous:
            node["ambiguous"] = True
        nodes.append(node)

    marks: dict[str, list[list[Any]]] = {}
    for article_id, found in highlights.items():
        convert = to_js[article_id]
        kept: list[list[Any]] = []
        cursor = 0
        for start, end, entity_id in sorted(found, key=lambda m: (m[0], -m[1], m[2])):
            if start >= cursor:  # nested or overlapping mentions: the first, longest one wins
                kept.append([convert(start), convert(end), entity_id])
                cursor = end
        marks[article_id] = kept

    opening = _start_nodes(entities, salience or {})
    by_id = {node["id"]: node for node in nodes}
    for node_id, (x, y) in _layout(opening, graph).items():
        by_id[node_id]["x"], by_id[node_id]["y"] = x, y

    return {
        "start": opening,
        "articles": [
            {
                "id": article.id,
                "path": article.path,
                "title": article.title,
                "authors": article.authors,
                "published": article.published,
            }
            for article in articles
        ],
        "texts": texts,
        "mentions": marks,
        "nodes": nodes,
        "edges": sorted([e.source, e.target, e.weight] for e in graph.edges),
        "relations": sorted([r.source, r.target, r.kind, r.reason] for r in graph.relations),
    }


def _start_nodes(entities: Sequence[Any], salience: Mapping[str, float]) -> list[str]:
    """The entities the page opens on: the most salient, then the most mentioned."""
    ranked = sorted(
        entities, key=lambda e: (-salience.get(e.id, 0.0), -e.mention_count, e.name, e.id)
    )
    return [e.id for e in ranked[:START_NODES]]


def _layout(ids: Sequence[str], graph: Graph) -> dict[str, tuple[int, int]]:
    """A force-directed layout of the start entities and their links (networkx's spring
    layout, seeded: the same graph is laid out the same), so the page draws at once."""
    import networkx as nx

    kept = set(ids)
    g = nx.Graph()
    g.add_nodes_from(sorted(kept))
    g.add_edges_from(
        (d.source, d.target) for d in graph.edges if d.source in kept and d.target in kept
    )
    if not g:
        return {}
    # A longer spring than the default (1/sqrt(n)) spreads the dense core of a news corpus.
    spring = 3 / max(1, len(g)) ** 0.5
    placed = nx.spring_layout(g, k=spring, seed=7, iterations=100, scale=_LAYOUT_SCALE)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in sorted(placed.items())}


def _evidence(
    entity_id: str,
    neighbours: list[str],
    sentence_of: Mapping[str, set[tuple[str, int]]],
    order: Mapping[str, int],
) -> list[tuple[str, int]]:
    """Up to EVIDENCE_PER_NODE sentences the entity shares with neighbours, strongest first.

    Taken round-robin over the neighbours so that the evidence shows several links, not five
    sentences about the strongest one.
    """
    own = sentence_of.get(entity_id, set())
    shared = [
        sorted(own & sentence_of.get(other, set()), key=lambda key: (order[key[0]], key[1]))
        for other in neighbours[:50]
    ]
    chosen: list[tuple[str, int]] = []
    depth = 0
    while len(chosen) < EVIDENCE_PER_NODE and any(depth < len(keys) for keys in shared):
        for keys in shared:
            if depth < len(keys) and keys[depth] not in chosen:
                chosen.append(keys[depth])
                if len(chosen) == EVIDENCE_PER_NODE:
                    break
        depth += 1
    return chosen


def _sentence_spans(
    bounds: Mapping[tuple[str, int], tuple[int, int]],
    texts: Mapping[str, str],
    sentences: SentenceSpans,
) -> dict[tuple[str, int], tuple[int, int]]:
    """Character bounds of every sentence that holds a mention."""
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    by_article: dict[str, list[int]] = defaultdict(list)
    for article_id, index in bounds:
        by_article[article_id].append(index)
    for article_id, indices in by_article.items():
        text = texts[article_id]
        known = {s.index: (s.start, s.end) for s in sentences.get(article_id, ())}
        indices.sort()
        for position, index in enumerate(indices):
            lo, hi = bounds[(article_id, index)]
            if index in known and known[index][0] <= lo and hi <= known[index][1]:
                spans[(article_id, index)] = known[index]
                continue
            # Guess, never reaching into the mentions of the sentences either side.
            floor = bounds[(article_id, indices[position - 1])][1] if position else 0
            ceiling = (
                bounds[(article_id, indices[position + 1])][0]
                if position + 1 < len(indices)
                else len(text)
            )
            spans[(article_id, index)] = (
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


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """A function from a code-point offset in `text` to the UTF-16 offset JavaScript uses."""
    if not any(ord(char) > 0xFFFF for char in text):
        return lambda offset: offset
    table = [0]
    for char in text:
        table.append(table[-1] + (2 if ord(char) > 0xFFFF else 1))
    return table.__getitem__


def _json_for_script(data: Any) -> str:
    """JSON that cannot end or confuse the <script> block it sits in."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return encoded.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def _template() -> str:
    return resources.files("newsents").joinpath("templates/graph.html").read_text("utf-8")


def _vis_network_js() -> str:
    code = resources.files("newsents").joinpath("vendor/vis-network.min.js").read_text("utf-8")
    code = _SOURCE_MAP.sub("\n", code)
    lowered = code.lower()
    if "</script" in lowered or "<!--" in lowered:  # would end the inline <script> early
        raise RuntimeError("vendor/vis-network.min.js cannot be inlined: it contains </script")
    return code
