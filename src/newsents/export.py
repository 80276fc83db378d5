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
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

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


def _with_edge_ids(graph: GraphLike) -> nx.MultiGraph:
    """The networkx graph with document-unique edge keys (`kind:source:target`) for files."""
    import networkx as nx

    g = to_networkx(graph)
    out = nx.MultiGraph()
    out.add_nodes_from((n, _xml_values(data)) for n, data in g.nodes(data=True))
    for u, v, key, data in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=f"{key}:{u}:{v}", **_xml_values(data))
    return out


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


def _xml_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: xml_text(v) if isinstance(v, str) else v for k, v in data.items()}


def write_graphml(graph: GraphLike, path: PathOrFile) -> None:
    """GraphML (yEd, Gephi, networkx, igraph) to a path or a binary file."""
    import networkx as nx

    nx.write_graphml(_with_edge_ids(graph), path, encoding="utf-8", prettyprint=True)


def write_gexf(graph: GraphLike, path: PathOrFile) -> None:
    """GEXF 1.2 (Gephi) to a path or a binary file."""
    from networkx.readwrite.gexf import GEXFWriter

    g = _with_edge_ids(graph)
    for u, v, key in list(g.edges(keys=True)):
        g.edges[u, v, key]["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(g)
    _strip_gexf(writer.xml)
    if isinstance(path, (str, os.PathLike)):
        with open(path, "wb") as fh:
            writer.write(fh)
    else:
        writer.write(path)


def _strip_gexf(root: Any) -> None:
    """Drop what networkx adds that is not ours: today's date (which would make two runs
    differ) and the `networkx_key` attribute it keeps multigraph keys in (the edge id has it)."""
    for meta in root.iter():
        if meta.tag.endswith("meta"):
            meta.attrib.pop("lastmodifieddate", None)
    key_ids = set()
    for attributes in root.iter():
        if not attributes.tag.endswith("attributes"):
            continue
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                key_ids.add(attribute.get("id"))
                attributes.remove(attribute)
    for parent in root.iter():
        for child in list(parent):
            if child.tag.endswith("attvalue") and child.get("for") in key_ids:
                parent.remove(child)
    for parent in root.iter():
        for child in list(parent):
            if child.tag.endswith(("attvalues", "attributes")) and len(child) == 0:
                parent.remove(child)


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
