"""Export a graph to other formats: JSON Lines, GraphML, GEXF, Gephi CSV and Neo4j Cypher.

Plain functions over a `Graph` (from `Store.load_graph()` or `extract`) or a `GraphView` (the
stored graph read a row at a time: `stored_graph.py`); they print nothing. JSON Lines, CSV and
Cypher are written as they are read. Every output is deterministic: the graph's own sorted
order, no timestamps, byte-identical across runs.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby, islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from newsents.models import Article, Edge, Entity, Graph, Relation
from newsents.stored_graph import GraphView, Raw, record

if TYPE_CHECKING:
    import networkx as nx

PathOrFile = str | os.PathLike[str] | IO[bytes]

# Edge `kind` in GraphML/GEXF: co-occurrence edges, else the relation's own kind (part_of...).
COOCCURRENCE = "cooccurrence"
LIST_SEPARATOR = "; "

NODE_COLUMNS = [
    "Id",
    "Label",
    "Name",
    "Type",
    "Mentions",
    "Articles",
    "Salience",
    "Ambiguous",
    "Value",
    "Granularity",
    "Aliases",
]
EDGE_COLUMNS = ["Source", "Target", "Weight", "Type", "Articles"]
RELATION_COLUMNS = ["Source", "Target", "Type", "Kind", "Reason"]


class GraphLike(Protocol):
    """A `Graph`, or a `GraphView` of the stored one: its parts, iterable again and again."""

    @property
    def articles(self) -> Iterable[Article]: ...
    @property
    def entities(self) -> Iterable[Entity]: ...
    @property
    def edges(self) -> Iterable[Edge]: ...
    @property
    def relations(self) -> Iterable[Relation]: ...


def filter_graph(
    graph: Graph, *, types: Collection[str] | None = None, min_weight: int | None = None
) -> Graph:
    """Keep entities of `types` (all when empty), edges and relations whose both ends are kept,
    and edges of weight ≥ `min_weight`. Articles are all kept."""
    entities = [e for e in graph.entities if not types or e.type in types]
    kept = {e.id for e in entities}
    edges = [
        d
        for d in graph.edges
        if d.source in kept and d.target in kept and (min_weight is None or d.weight >= min_weight)
    ]
    relations = [r for r in graph.relations if r.source in kept and r.target in kept]
    return Graph(
        schema_version=graph.schema_version,
        articles=list(graph.articles),
        entities=entities,
        edges=edges,
        relations=relations,
    )


# -- JSON Lines -----------------------------------------------------------------------------


def to_jsonl(graph: GraphLike) -> Iterator[str]:
    """One JSON record per line (with its newline): articles, entities, edges, then relations.

    Each record is the model's fields after a leading `kind` ("article", "entity", "edge",
    "relation"). A relation's own kind (`part_of`, `related`) is its `type`.
    """
    parts = _json_parts(graph)
    for kind, part in (("article", "articles"), ("entity", "entities"), ("edge", "edges")):
        for data in parts[part]:
            if isinstance(data, Raw) and data.startswith("{") and data != "{}":
                yield f'{{"kind":"{kind}",{data[1:]}\n'
            else:
                yield _line({"kind": kind, **record(data)})
    for data in parts["relations"]:
        data = {("type" if k == "kind" else k): v for k, v in record(data).items()}
        yield _line({"kind": "relation", **data})


def _json_parts(graph: GraphLike) -> dict[str, Iterable[dict[str, Any] | Raw]]:
    """Each list of the graph as the dicts of its JSON; a view's straight from the store."""
    if isinstance(graph, GraphView):
        return {k: v for k, v in graph.records() if k != "schema_version"}
    return {
        "articles": (a.model_dump(mode="json") for a in graph.articles),
        "entities": (e.model_dump(mode="json") for e in graph.entities),
        "edges": (d.model_dump(mode="json") for d in graph.edges),
        "relations": (r.model_dump(mode="json") for r in graph.relations),
    }


def _line(record: dict[str, Any]) -> str:
    return _compact(record) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(graph: GraphLike, path: PathOrFile) -> None:
    """JSON Lines (`to_jsonl`) to a path or a binary file, one record at a time."""
    if isinstance(path, (str, os.PathLike)):
        with open(path, "wb") as fh:
            write_jsonl(graph, fh)
        return
    for line in to_jsonl(graph):
        path.write(line.encode("utf-8"))


# -- networkx, GraphML, GEXF ----------------------------------------------------------------


def to_networkx(graph: GraphLike) -> nx.MultiGraph:
    """An undirected `networkx.MultiGraph`: a node per entity, an edge per co-occurrence edge
    and per relation, keyed by its `kind`. Every attribute is a scalar (lists are joined)."""
    import networkx as nx

    g = nx.MultiGraph()
    for node_id, attrs in _nodes(graph):
        g.add_node(node_id, **attrs)
    for d in graph.edges:
        g.add_edge(
            d.source,
            d.target,
            key=COOCCURRENCE,
            kind=COOCCURRENCE,
            weight=d.weight,
            articles=LIST_SEPARATOR.join(d.articles),
        )
    for r in graph.relations:
        # The graph is undirected, so a file may write the pair either way round: `from` and
        # `to` keep the relation's direction (`from` part_of `to`), as source/target in the JSON.
        attrs = {"kind": r.kind, "reason": r.reason, "from": r.source, "to": r.target}
        g.add_edge(r.source, r.target, key=r.kind, **attrs)
    return g


# What XML 1.0 cannot hold, even as a character reference: C0 controls but tab, newline and
# carriage return, the non-characters U+FFFE and U+FFFF, and lone surrogates. Carriage return
# too: the writers put it raw into text, and every XML parser reads a raw one as a newline.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: a control character becomes its picture (ESC `␛`, BEL `␇`),
    anything else it cannot hold becomes `�`; one character for one."""
    return _NOT_XML.sub(
        lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "\ufffd", text
    )


def write_graphml(graph: GraphLike, path: PathOrFile) -> None:
    """GraphML (yEd, Gephi, networkx, igraph) to a path or a binary file, written as the graph
    is read: a node per entity, an edge per co-occurrence edge and per relation, with the
    attributes of `to_networkx`."""
    with _binary(path) as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        keys = {}
        for n, (where, name, kind) in enumerate(_GRAPHML_KEYS):
            keys[(where, name)] = f"d{n}"
            out.write(f'<key id="d{n}" for="{where}" attr.name="{name}" attr.type="{kind}"/>\n')
        out.write('<graph edgedefault="undirected">\n')
        for node_id, attrs in _nodes(graph):
            out.write(f"<node id={_attr(node_id)}>\n")
            out.write(_graphml_data(attrs, keys, "node"))
            out.write("</node>\n")
        for edge_id, source, target, attrs in _edges(graph):
            out.write(f"<edge source={_attr(source)} target={_attr(target)} id={_attr(edge_id)}>\n")
            out.write(_graphml_data(attrs, keys, "edge"))
            out.write("</edge>\n")
        out.write("</graph></graphml>\n")


_GRAPHML_KEYS = [
    ("node", "label", "string"),
    ("node", "name", "string"),
    ("node", "type", "string"),
    ("node", "mention_count", "long"),
    ("node", "article_count", "long"),
    ("node", "salience", "double"),
    ("node", "ambiguous", "boolean"),
    ("node", "value", "string"),
    ("node", "granularity", "string"),
    ("node", "aliases", "string"),
    ("edge", "kind", "string"),
    ("edge", "weight", "long"),
    ("edge", "articles", "string"),
    ("edge", "reason", "string"),
    ("edge", "from", "string"),
    ("edge", "to", "string"),
]


def _graphml_data(attrs: dict[str, Any], keys: dict[tuple[str, str], str], where: str) -> str:
    return "".join(
        f'  <data key="{keys[(where, name)]}">{_text(value)}</data>\n'
        for name, value in attrs.items()
    )


def write_gexf(graph: GraphLike, path: PathOrFile) -> None:
    """GEXF 1.2 (Gephi) to a path or a binary file, written as the graph is read; no date in
    it, so two exports of one store are byte-identical."""
    node_ids = {name: str(n) for n, name in enumerate(_GEXF_NODE_ATTRIBUTES)}
    edge_ids = {name: str(n + len(node_ids)) for n, name in enumerate(_GEXF_EDGE_ATTRIBUTES)}
    with _binary(path) as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            '<gexf xmlns="http://www.gexf.net/1.2draft" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft '
            'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
            "  <meta>\n    <creator>newsents</creator>\n  </meta>\n"
            '  <graph defaultedgetype="undirected" mode="static" name="">\n'
        )
        for where, ids, kinds in (
            ("node", node_ids, _GEXF_NODE_ATTRIBUTES),
            ("edge", edge_ids, _GEXF_EDGE_ATTRIBUTES),
        ):
            out.write(f'    <attributes mode="static" class="{where}">\n')
            for name, kind in kinds.items():
                out.write(f'      <attribute id="{ids[name]}" title="{name}" type="{kind}" />\n')
            out.write("    </attributes>\n")
        out.write("    <nodes>\n")
        for node_id, attrs in _nodes(graph):
            label = attrs.pop("label")
            out.write(f"      <node id={_attr(node_id)} label={_attr(label)}>\n")
            out.write(_gexf_values(attrs, node_ids))
            out.write("      </node>\n")
        out.write("    </nodes>\n    <edges>\n")
        for edge_id, source, target, attrs in _edges(graph):
            weight = attrs.pop("weight", None)
            weighs = "" if weight is None else f' weight="{weight}"'
            out.write(
                f"      <edge source={_attr(source)} target={_attr(target)} "
                f"id={_attr(edge_id)}{weighs}>\n"
            )
            out.write(_gexf_values(attrs, edge_ids))
            out.write("      </edge>\n")
        out.write("    </edges>\n  </graph>\n</gexf>\n")


_GEXF_NODE_ATTRIBUTES = {
    "name": "string",
    "type": "string",
    "mention_count": "long",
    "article_count": "long",
    "salience": "double",
    "ambiguous": "boolean",
    "value": "string",
    "granularity": "string",
    "aliases": "string",
}
_GEXF_EDGE_ATTRIBUTES = {
    "kind": "string",
    "articles": "string",
    "reason": "string",
    "from": "string",
    "to": "string",
}


def _gexf_values(attrs: dict[str, Any], ids: dict[str, str]) -> str:
    values = "".join(
        f'          <attvalue for="{ids[name]}" value={_attr(value)} />\n'
        for name, value in attrs.items()
    )
    return f"        <attvalues>\n{values}        </attvalues>\n"


def _nodes(graph: GraphLike) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, attributes) of every entity: a label no other node has (`disambiguated_labels`),
    and only the attributes it has (no `value` but for dates; `salience` from a store)."""
    labels, salience = _node_context(graph)
    for e in graph.entities:
        attrs = {
            "label": labels.get(e.id, e.name),
            "name": e.name,
            "type": e.type,
            "mention_count": e.mention_count,
            "article_count": e.article_count,
            "salience": salience.get(e.id),
            "ambiguous": e.ambiguous,
            "value": e.value,
            "granularity": e.granularity,
            "aliases": LIST_SEPARATOR.join(e.aliases),
        }
        yield e.id, {k: v for k, v in attrs.items() if v is not None}


def _node_context(graph: GraphLike) -> tuple[dict[str, str], dict[str, float]]:
    """The labels of entities that share a name, and salience over the corpus (a store
    knows it; a `Graph` alone does not)."""
    labels = disambiguated_labels(_entity_names(graph))
    return labels, graph.entity_salience() if isinstance(graph, GraphView) else {}


def _entity_names(graph: GraphLike) -> Iterable[tuple[str, str, str, str | None]]:
    if isinstance(graph, GraphView):
        return graph.entity_names()
    return ((e.id, e.name, e.type, e.value) for e in graph.entities)


def disambiguated_labels(entities: Iterable[tuple[str, str, str, str | None]]) -> dict[str, str]:
    """id → label, for the entities (id, name, type, date value) whose name another shares:
    a date says its value (`January (2005-01)`), anything else its type (`Chelsea (place)`);
    if that is still shared, the id is added. Every other entity's label is its name."""
    rows = list(entities)
    named = Counter(name for _, name, _, _ in rows)
    qualified = {
        eid: f"{name} ({value if etype == 'date' and value else etype})"
        for eid, name, etype, value in rows
        if named[name] > 1
    }
    still_shared = Counter(qualified.values())
    return {
        eid: label if still_shared[label] == 1 else f"{label} [{eid}]"
        for eid, label in qualified.items()
    }


def _edges(graph: GraphLike) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(document-unique id `kind:source:target`, source, target, attributes) of every edge."""
    for d in graph.edges:
        attrs = {
            "kind": COOCCURRENCE,
            "weight": d.weight,
            "articles": LIST_SEPARATOR.join(d.articles),
        }
        yield f"{COOCCURRENCE}:{d.source}:{d.target}", d.source, d.target, attrs
    for r in graph.relations:
        # `from` and `to` keep the relation's direction for readers of an undirected graph.
        attrs = {"kind": r.kind, "reason": r.reason, "from": r.source, "to": r.target}
        yield f"{r.kind}:{r.source}:{r.target}", r.source, r.target, attrs


def _text(value: Any) -> str:
    return escape(xml_text(_scalar(value)))


def _attr(value: Any) -> str:
    return quoteattr(xml_text(_scalar(value)))


def _scalar(value: Any) -> str:
    """A value as XML Schema writes it (`true`, not Python's `True`), and in CSV."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Utf8:
    """Text written to a binary file as UTF-8, in chunks."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.chunks: list[str] = []

    def write(self, text: str) -> None:
        self.chunks.append(text)
        if len(self.chunks) >= 2048:
            self.flush()

    def flush(self) -> None:
        self.fh.write("".join(self.chunks).encode("utf-8"))
        self.chunks = []


@contextmanager
def _binary(path: PathOrFile) -> Iterator[_Utf8]:
    if isinstance(path, (str, os.PathLike)):
        with open(path, "wb") as fh:
            out = _Utf8(fh)
            yield out
            out.flush()
        return
    out = _Utf8(path)
    yield out
    out.flush()


# -- Gephi spreadsheet CSV ------------------------------------------------------------------


def write_csv(graph: GraphLike, folder: str | os.PathLike[str]) -> list[Path]:
    """`nodes.csv`, `edges.csv` and `relations.csv` in `folder` (created if missing), in Gephi's
    spreadsheet convention. Returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    nodes = (
        [
            node_id,
            *(
                _scalar(attrs[name]) if name in attrs else ""
                for name in (
                    "label",
                    "name",
                    "type",
                    "mention_count",
                    "article_count",
                    "salience",
                    "ambiguous",
                    "value",
                    "granularity",
                    "aliases",
                )
            ),
        ]
        for node_id, attrs in _nodes(graph)
    )
    edges = (
        [d.source, d.target, d.weight, "Undirected", LIST_SEPARATOR.join(d.articles)]
        for d in graph.edges
    )
    relations = ([r.source, r.target, "Directed", r.kind, r.reason] for r in graph.relations)
    written = []
    for name, header, rows in (
        ("nodes.csv", NODE_COLUMNS, nodes),
        ("edges.csv", EDGE_COLUMNS, edges),
        ("relations.csv", RELATION_COLUMNS, relations),
    ):
        path = out / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            # RFC 4180's CRLF: Python's writer quotes a cell holding a line break only when
            # the break is in its line terminator, and a lone CR would otherwise end a row.
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
        written.append(path)
    return written


# What a spreadsheet takes for a formula at the start of a cell (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (`=Ministry of Defence`, a name
    `@SUM(...)`) starts with a `'`, as the OWASP guidance says: shown as text, the rest exact.
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# -- GeoJSON --------------------------------------------------------------------------------


def write_geojson(graph: GraphLike, write: Callable[[str], Any]) -> tuple[int, int]:
    """RFC 7946 GeoJSON of the places, located by the offline gazetteer (`geo.py`): a Point
    feature per place it settles, with the entity's counts, salience and country code; the
    places it cannot settle (ambiguous, unknown) in `unlocated`, with the reason, so none is
    guessed. A sports side is no place. One feature a line; (located, unlocated) counts."""
    from newsents.geo import gazetteer

    places = gazetteer()
    sides = {r.source for r in graph.relations if r.kind == "related" and r.reason == "side_of"}
    labels, salience = _node_context(graph)
    unlocated: list[dict[str, Any]] = []
    located = 0
    write('{"type":"FeatureCollection","features":[')
    for e in graph.entities:
        if e.type != "place" or e.id in sides:
            continue
        found = places.locate(e.name)
        where = found.location
        if where is None or e.ambiguous:
            reason = found.reason if where is None else "the corpus finds the name ambiguous"
            unlocated.append({"id": e.id, "name": e.name, "reason": reason})
            continue
        properties = {
            "name": e.name,
            "label": labels.get(e.id, e.name),
            "mention_count": e.mention_count,
            "article_count": e.article_count,
            "salience": salience.get(e.id),
            "country_code": where.country_code,
            "place": where.name,
            "place_kind": where.kind,
            "geonameid": where.geonameid,
            "located_by": found.reason,
        }
        feature = {
            "type": "Feature",
            "id": e.id,
            "geometry": {"type": "Point", "coordinates": [where.longitude, where.latitude]},
            "properties": {k: v for k, v in properties.items() if v is not None},
        }
        write(("\n" if not located else ",\n") + _compact(feature))
        located += 1
    write('\n],"unlocated":[')
    write(",".join("\n" + _compact(u) for u in unlocated))
    write("\n]}\n")
    return located, len(unlocated)


# -- Neo4j Cypher ---------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def cypher_string(value: str) -> str:
    """A single-quoted Cypher string literal: backslashes, quotes and control characters
    escaped (other control characters, C1 ones and line separators as \\uXXXX, so that no
    line reader splits a statement)."""
    return "'" + _CYPHER_SPECIAL.sub(_cypher_escape, value) + "'"


_CYPHER_SPECIAL = re.compile("[\\\\'\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _cypher_escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _CYPHER_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def _cypher_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_cypher_value(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _cypher_map(props: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_cypher_value(v)}" for k, v in props.items()) + "}"


# Rows per UNWIND statement: Neo4j runs each statement as one transaction, and a few hundred
# rows keep it small while making the script a few hundred statements, not one per row.
CYPHER_BATCH = 500


def to_cypher(graph: GraphLike) -> str:
    """A Neo4j script (`cypher-shell < graph.cypher`): unique-id constraints, then batches of
    rows (UNWIND) merged into articles, entities and their relationships, so running it twice
    changes nothing."""
    return "".join(cypher_lines(graph))


def cypher_lines(graph: GraphLike) -> Iterator[str]:
    """`to_cypher`'s script a statement (and its newline) at a time."""
    yield "// newsents graph: run with cypher-shell < graph.cypher (safe to run again)\n"
    yield (
        "CREATE CONSTRAINT newsents_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;"
        "\n"
    )
    yield (
        "CREATE CONSTRAINT newsents_article_id IF NOT EXISTS "
        "FOR (a:Article) REQUIRE a.id IS UNIQUE;\n"
    )
    for line in _cypher_statements(graph):
        yield line + "\n"


def _cypher_statements(graph: GraphLike) -> Iterator[str]:
    articles = (
        {
            "id": a.id,
            "title": a.title,
            "path": a.path,
            "published": a.published,
            "authors": a.authors,
        }
        for a in graph.articles
    )
    yield from _unwind(articles, "MERGE (n:Article {id: row.id})", "n")
    # Entities come sorted by type, so each type's batches go together, with its label.
    for entity_type, nodes in groupby(_entity_rows(graph), key=lambda r: r["type"]):
        merge = "MERGE (n:Entity {id: row.id})"
        yield from _unwind(nodes, merge, "n", extra=f"n:{str(entity_type).capitalize()}")
    yield from _unwind_relationships(_mention_rows(graph), ("Article", "MENTIONS", "Entity"))
    links = (
        {"source": d.source, "target": d.target, "weight": d.weight, "articles": d.articles}
        for d in graph.edges
    )
    yield from _unwind_relationships(links, ("Entity", "CO_OCCURS", "Entity"))
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in graph.relations:
        row = {"source": r.source, "target": r.target, "reason": r.reason}
        by_kind.setdefault(r.kind, []).append(row)
    for kind, rows in sorted(by_kind.items()):
        yield from _unwind_relationships(rows, ("Entity", kind.upper(), "Entity"))


def _mention_rows(graph: GraphLike) -> Iterator[dict[str, Any]]:
    """(article, entity, mentions there) of every entity, in graph order: from the store's
    SQL when it can count them, so no mention is read into Python."""
    if isinstance(graph, GraphView) and graph.within is None:
        counted = graph.mention_counts()
    else:
        counted = (
            (e.id, article, n)
            for e in graph.entities
            for article, n in sorted(Counter(m.article for m in e.mentions).items())
        )
    for entity_id, article, n in counted:
        yield {"source": article, "target": entity_id, "count": n}


def _entity_rows(graph: GraphLike) -> Iterator[dict[str, Any]]:
    labels, salience = _node_context(graph)
    for e in graph.entities:
        yield {
            "id": e.id,
            "name": e.name,
            "display_name": labels.get(e.id, e.name),
            "type": e.type,
            "label": e.label,
            "aliases": e.aliases,
            "mention_count": e.mention_count,
            "article_count": e.article_count,
            "salience": salience.get(e.id),
            "ambiguous": e.ambiguous,
            "value": e.value,
            "granularity": e.granularity,
        }


def _unwind(
    rows: Iterable[dict[str, Any]], merge: str, var: str, *, extra: str = ""
) -> Iterator[str]:
    """`UNWIND [rows] AS row` + merge + SET of every key but `id`, a batch at a time."""
    for batch in _batched(rows, CYPHER_BATCH):
        keys = [k for k in batch[0] if k != "id"]
        sets = ", ".join([*(f"{var}.{k} = row.{k}" for k in keys), *([extra] if extra else [])])
        maps = ", ".join(_cypher_map(row) for row in batch)
        yield f"UNWIND [{maps}] AS row {merge} SET {sets};"


def _unwind_relationships(
    rows: Iterable[dict[str, Any]], kinds: tuple[str, str, str]
) -> Iterator[str]:
    source, rel_type, target = kinds
    match = (
        f"MATCH (s:{source} {{id: row.source}}), (t:{target} {{id: row.target}}) "
        f"MERGE (s)-[r:{rel_type}]->(t)"
    )
    for batch in _batched(rows, CYPHER_BATCH):
        keys = [k for k in batch[0] if k not in ("source", "target")]
        sets = ", ".join(f"r.{k} = row.{k}" for k in keys)
        maps = ", ".join(_cypher_map(row) for row in batch)
        yield f"UNWIND [{maps}] AS row {match} SET {sets};"


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch
