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
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
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

NODE_COLUMNS = ["Id", "Label", "Type", "Mentions", "Articles", "Aliases"]
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
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


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
    for e in graph.entities:
        g.add_node(
            e.id,
            label=e.name,
            type=e.type,
            mention_count=e.mention_count,
            article_count=e.article_count,
            aliases=LIST_SEPARATOR.join(e.aliases),
        )
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
    ("node", "type", "string"),
    ("node", "mention_count", "long"),
    ("node", "article_count", "long"),
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
    "type": "string",
    "mention_count": "long",
    "article_count": "long",
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
    for e in graph.entities:
        yield (
            e.id,
            {
                "label": e.name,
                "type": e.type,
                "mention_count": e.mention_count,
                "article_count": e.article_count,
                "aliases": LIST_SEPARATOR.join(e.aliases),
            },
        )


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
    return escape(xml_text(str(value)))


def _attr(value: Any) -> str:
    return quoteattr(xml_text(str(value)))


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
        [e.id, e.name, e.type, e.mention_count, e.article_count, LIST_SEPARATOR.join(e.aliases)]
        for e in graph.entities
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


# -- Neo4j Cypher ---------------------------------------------------------------------------

_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def cypher_string(value: str) -> str:
    """A single-quoted Cypher string literal: backslashes, quotes and control characters
    escaped (other control characters, C1 ones and line separators as \\uXXXX, so that no
    line reader splits a statement)."""
    out = []
    for ch in value:
        if ch in _CYPHER_ESCAPES:
            out.append(_CYPHER_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def _cypher_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_cypher_value(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _set(var: str, props: dict[str, Any]) -> str:
    return ", ".join(f"{var}.{k} = {_cypher_value(v)}" for k, v in props.items())


def to_cypher(graph: GraphLike) -> str:
    """A Neo4j script (`cypher-shell < graph.cypher`): unique-id constraints, then MERGE + SET
    for articles, entities and their relationships, so running it twice changes nothing."""
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
    for a in graph.articles:
        props: dict[str, Any] = {
            "title": a.title,
            "path": a.path,
            "published": a.published,
            "authors": a.authors,
        }
        yield f"MERGE (a:Article {{id: {cypher_string(a.id)}}}) SET {_set('a', props)};"
    for e in graph.entities:
        props = {
            "name": e.name,
            "type": e.type,
            "label": e.label,
            "aliases": e.aliases,
            "mention_count": e.mention_count,
            "article_count": e.article_count,
        }
        yield (
            f"MERGE (e:Entity {{id: {cypher_string(e.id)}}}) SET {_set('e', props)}, "
            f"e:{e.type.capitalize()};"
        )
    for e in graph.entities:
        counts = Counter(m.article for m in e.mentions)
        for article_id in sorted(counts):
            yield _relationship(
                ("Article", article_id), "MENTIONS", ("Entity", e.id), {"count": counts[article_id]}
            )
    for d in graph.edges:
        source, target = sorted((d.source, d.target))
        yield _relationship(
            ("Entity", source),
            "CO_OCCURS",
            ("Entity", target),
            {"weight": d.weight, "articles": d.articles},
        )
    for r in graph.relations:
        yield _relationship(
            ("Entity", r.source), r.kind.upper(), ("Entity", r.target), {"reason": r.reason}
        )


def _relationship(
    source: tuple[str, str], rel_type: str, target: tuple[str, str], props: dict[str, Any]
) -> str:
    return (
        f"MATCH (s:{source[0]} {{id: {cypher_string(source[1])}}}), "
        f"(t:{target[0]} {{id: {cypher_string(target[1])}}}) "
        f"MERGE (s)-[r:{rel_type}]->(t) SET {_set('r', props)};"
    )
