"""The stored graph read a row at a time: what `export` and `extract` write as they read.

`Store.load_graph()` builds the whole `Graph` in memory, every mention of every entity. A
`GraphView` has the same parts (articles, entities, edges, relations) as iterables that run
their query again each time they are iterated, so a command holds one entity at a time, and
memory stays flat however large the store. Use it inside `Store.snapshot()`, so every part is
read from one version of the store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from newsents.fingerprint import corpus_rules
from newsents.models import (
    COOCCURRENCE_SECTIONS,
    SCHEMA_VERSION,
    Article,
    Edge,
    Entity,
    Graph,
    Relation,
)
from newsents.store import ArticleFilter, ArticleScope, Store

T = TypeVar("T")


class Rows(Generic[T]):
    """An iterable that runs its query again each time it is iterated."""

    def __init__(self, make: Callable[[], Iterator[T]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[T]:
        return self._make()


class Raw(str):
    """A record as the store keeps it: compact JSON, as pydantic wrote it, which is what
    `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes for its dict (the
    fuzz tests hold the two to that). Written as it is, it need not be parsed."""


def record(item: dict[str, Any] | Raw) -> dict[str, Any]:
    """The dict of a record, raw or not."""
    return json.loads(item) if isinstance(item, Raw) else item


@dataclass
class _Within:
    """What an article filter keeps of the stored graph, found in one pass over entities."""

    scope: ArticleScope
    kept: set[str] = field(default_factory=set)  # entities with a mention kept
    articles: set[str] = field(default_factory=set)  # articles holding a kept mention
    edges: list[Edge] = field(default_factory=list)

    def keeps(self, entity: Entity, article: str) -> bool:
        return self.scope.keeps(entity.id, entity.type, article)


class GraphView:
    """The stored graph, filtered as `export.filter_graph` filters one: entities of `types`
    (all when empty), links whose both ends are kept, edges of weight ≥ `min_weight`.
    `mentions=False` reads entities without their mentions (for formats that do not list them).

    `within` keeps what the articles it names say, as `newsents entities` counts them: a
    mention in an article published in the range at the path (a date entity: one whose value
    overlaps the range, in an article at the path). Entities are those with a mention kept,
    their counts and links counted over the kept mentions, in the sentences that hold both;
    articles, those in the range and those holding a kept mention.
    """

    schema_version = SCHEMA_VERSION

    def __init__(
        self,
        store: Store,
        *,
        types: Collection[str] | None = None,
        min_weight: int | None = None,
        mentions: bool = True,
        within: ArticleFilter | None = None,
    ) -> None:
        self.store = store
        self.types = sorted(set(types or ()))
        self.min_weight = min_weight
        self.mentions = mentions
        self.within = within if within is not None and within.active else None
        self._within: _Within | None = None
        # The stored JSON is this build's own when the graph is fresh; a stale graph (another
        # version wrote it) goes through the models, which fill what it lacks.
        self._raw = self.within is None and not store.graph_is_stale(corpus_rules())

    # -- the parts, as models ---------------------------------------------------------------

    @property
    def articles(self) -> Rows[Article]:
        if self.within is None:
            return Rows(self._articles)
        return Rows(lambda: (a for a in self._articles() if a.id in self._scope().articles))

    @property
    def entities(self) -> Rows[Entity]:
        if self.within is None:
            return Rows(lambda: (Entity.model_validate_json(d) for d in self._entity_data()))
        return Rows(self._entities_within)

    @property
    def entity_records(self) -> Rows[dict[str, Any]]:
        """The entities as `Entity.model_dump(mode="json")` has them: the stored JSON parsed
        when it is this build's own, so no model is built for each (five times faster)."""
        records = self._records(self._entity_data, Entity)
        return Rows(lambda: (record(r) for r in records))

    @property
    def edges(self) -> Rows[Edge]:
        if self.within is None:
            return Rows(lambda: (Edge.model_validate_json(d) for d in self._edge_data()))
        return Rows(lambda: iter(self._scope().edges))

    @property
    def relations(self) -> Rows[Relation]:
        relations = Rows(lambda: (Relation.model_validate_json(d) for d in self._relation_data()))
        if self.within is None:
            return relations
        kept = self._scope().kept
        return Rows(lambda: (r for r in relations if r.source in kept and r.target in kept))

    # -- within an article filter -----------------------------------------------------------

    def _scope(self) -> _Within:
        if self._within is None:
            self._within = self._find_scope()
        return self._within

    def _find_scope(self) -> _Within:
        assert self.within is not None
        scope = _Within(self.store.scope_of(self.within))
        scope.articles |= scope.scope.dated
        by_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
        for data in self._entity_data(mentions=True):
            entity = Entity.model_validate_json(data)
            for m in entity.mentions:
                if scope.keeps(entity, m.article):
                    scope.kept.add(entity.id)
                    scope.articles.add(m.article)
                    if m.section in COOCCURRENCE_SECTIONS:
                        by_sentence[(m.article, m.sentence)].add(entity.id)
        from newsents.graph import edges_from_sentences  # the resolver's imports: only here

        scope.edges = edges_from_sentences(by_sentence, self.min_weight)
        return scope

    def _entities_within(self) -> Iterator[Entity]:
        scope = self._scope()
        for data in self._entity_data(mentions=True):
            entity = Entity.model_validate_json(data)
            if entity.id not in scope.kept:
                continue
            kept = scope.scope.restrict(entity)
            yield kept if self.mentions else kept.model_copy(update={"mentions": []})

    # -- the parts, as the JSON records `Graph.model_dump(mode="json")` has ------------------

    def records(self) -> Iterator[tuple[str, Any]]:
        """(field, value) of the graph in its JSON order; list fields as iterables of records
        (dicts, or `Raw` JSON)."""
        if self.within is not None:
            yield "schema_version", self.schema_version
            for part in ("articles", "entities", "edges", "relations"):
                yield part, _dumped(getattr(self, part))
            return
        yield "schema_version", self.schema_version
        # Articles go through the model: one analysed by another model's build keeps its JSON.
        yield "articles", Rows(lambda: (a.model_dump(mode="json") for a in self._articles()))
        yield "entities", self._records(self._entity_data, Entity)
        yield "edges", self._records(self._edge_data, Edge)
        yield "relations", self._records(self._relation_data, Relation)

    def _records(self, rows: Callable[[], Iterator[str]], model: type[Any]) -> Rows[Any]:
        if self._raw:
            return Rows(lambda: (Raw(d) for d in rows()))
        return Rows(lambda: (model.model_validate_json(d).model_dump(mode="json") for d in rows()))

    def count(self, part: str) -> int:
        """How many entities, edges or relations the view holds."""
        if self.within is not None:
            if part == "entities":
                return len(self._scope().kept)
            if part == "edges":
                return len(self._scope().edges)
            return sum(1 for _ in self.relations)
        query = {
            "entities": f"SELECT count(*) FROM entities e WHERE {self._kept('e')}",
            "edges": f"SELECT count(*) FROM edges d {self._link_filter()}",
            "relations": f"SELECT count(*) FROM relations d {self._link_filter(weights=False)}",
        }[part]
        return int(self.store.db.execute(query, self._params(part)).fetchone()[0])

    def edge_weights(self) -> Iterator[tuple[str, str, int]]:
        """(source, target, weight) of each edge the view holds, without its articles."""
        if self.within is not None:
            yield from ((e.source, e.target, e.weight) for e in self._scope().edges)
            return
        query = (
            f"SELECT d.source, d.target, d.weight FROM edges d {self._link_filter()} "
            "ORDER BY d.source, d.target"
        )
        yield from self.store.db.execute(query, self._params("edges"))

    def entity_names(self) -> Iterator[tuple[str, str, str, str | None]]:
        """(id, name, type, date value) of every entity the view holds, without mentions."""
        rows = self.store.db.execute(
            f"SELECT id, name, type, json_extract(data, '$.value') FROM entities e "
            f"WHERE {self._kept('e')} ORDER BY id",
            self._types_params(),
        )
        if self.within is None:
            yield from rows
            return
        kept = self._scope().kept
        yield from (row for row in rows if row[0] in kept)

    def mention_counts(self) -> Iterator[tuple[str, str, int]]:
        """(entity id, article id, its mentions there) in the graph's order, counted by
        SQLite (the view's article filter aside: that needs the mentions themselves)."""
        for entity_id in self._entity_order():
            yield from (
                (entity_id, article, n)
                for article, n in self.store.db.execute(
                    "SELECT json_extract(m.value, '$.article') AS a, count(*) "
                    "FROM entities e, json_each(e.data, '$.mentions') m WHERE e.id = ? "
                    "GROUP BY a ORDER BY a",
                    (entity_id,),
                )
            )

    def entity_salience(self) -> dict[str, float]:
        """Each entity's salience over the corpus: its scores in every article, summed (as
        `newsents entities --sort salience` ranks them); within a filter, in its articles."""
        if self.within is None:
            return dict(
                self.store.db.execute(
                    "SELECT entity_id, round(sum(score), 4) FROM salience GROUP BY entity_id"
                )
            )
        scope = self._scope()
        totals: dict[str, float] = defaultdict(float)
        for entity_id, article_id, score in self.store.db.execute(
            "SELECT entity_id, article_id, score FROM salience ORDER BY entity_id, article_id"
        ):
            if entity_id not in scope.kept:
                continue
            # A date entity counts in the articles at the path; any other, in the range.
            within = scope.scope.anywhere if entity_id in scope.scope.dates else scope.scope.dated
            if article_id in within:
                totals[entity_id] += score
        return {entity_id: round(total, 4) for entity_id, total in totals.items()}

    # -- queries ----------------------------------------------------------------------------

    def _articles(self) -> Iterator[Article]:
        for data, path in self.store.db.execute(
            "SELECT json_extract(analysis, '$.article'), path FROM articles ORDER BY path, id"
        ):
            article = Article.model_validate_json(data)
            article.path = path  # where it was found last (the analysis keeps the first path)
            yield article

    def _entity_data(self, mentions: bool | None = None) -> Iterator[str]:
        with_mentions = self.mentions if mentions is None else mentions
        column = "data" if with_mentions else "json_set(data, '$.mentions', json('[]'))"
        for entity_id in self._entity_order():
            row = self.store.db.execute(
                f"SELECT {column} FROM entities WHERE id = ?", (entity_id,)
            ).fetchone()
            yield row[0]

    def _entity_order(self) -> list[str]:
        """Ids in the graph's order, by type, then name without case, then id (SQLite's
        lower() knows ASCII only, so the names are sorted here: ids and names, no mentions)."""
        rows = self.store.db.execute(
            f"SELECT id, type, name FROM entities e WHERE {self._kept('e')}", self._types_params()
        ).fetchall()
        rows.sort(key=lambda r: (r[1], r[2].casefold(), r[0]))
        return [r[0] for r in rows]

    def _edge_data(self) -> Iterator[str]:
        query = f"SELECT d.data FROM edges d {self._link_filter()} ORDER BY d.source, d.target"
        for (data,) in self.store.db.execute(query, self._params("edges")):
            yield data

    def _relation_data(self) -> Iterator[str]:
        query = (
            f"SELECT d.data FROM relations d {self._link_filter(weights=False)} "
            "ORDER BY d.source, d.target, d.kind"
        )
        for (data,) in self.store.db.execute(query, self._params("relations")):
            yield data

    def _kept(self, alias: str) -> str:
        if not self.types:
            return "1"
        return f"{alias}.type IN ({','.join('?' * len(self.types))})"

    def _types_params(self) -> list[Any]:
        return list(self.types)

    def _link_filter(self, *, weights: bool = True) -> str:
        where = []
        joins = ""
        if self.types:
            joins = "JOIN entities s ON s.id = d.source JOIN entities t ON t.id = d.target "
            where += [self._kept("s"), self._kept("t")]
        if weights and self.min_weight is not None:
            where.append("d.weight >= ?")
        return joins + ("WHERE " + " AND ".join(where) if where else "")

    def _params(self, part: str) -> list[Any]:
        if part == "entities":
            return self._types_params()
        params = self._types_params() * 2
        if part == "edges" and self.min_weight is not None:
            params.append(self.min_weight)
        return params


def _dumped(rows: Rows[Any]) -> Rows[dict[str, Any]]:
    return Rows(lambda: (x.model_dump(mode="json") for x in rows))


def as_graph(view: GraphView) -> Graph:
    """The view's graph in memory (what `Store.load_graph()` reads, filtered)."""
    return Graph(
        articles=list(view.articles),
        entities=list(view.entities),
        edges=list(view.edges),
        relations=list(view.relations),
    )


def write_json(
    parts: Iterable[tuple[str, Any]], write: Callable[[str], Any], *, pretty: bool
) -> None:
    """The JSON `console.dump_json` gives for the dict of `parts`, written as it is read:
    a value that is a `Rows` is written one element at a time."""
    indent, gap = ("\n  ", ": ") if pretty else ("", ":")
    write("{")
    for n, (key, value) in enumerate(parts):
        write(("," if n else "") + indent + json.dumps(key) + gap)
        if not isinstance(value, Rows):
            write(_dumps(value, pretty, depth=1))
            continue
        count = 0
        for count, item in enumerate(value, 1):
            write(("[" if count == 1 else ",") + ("\n    " if pretty else ""))
            write(_dumps(item, pretty, depth=2))
        write("[]" if not count else ("\n  ]" if pretty else "]"))
    write(("\n}" if pretty else "}") + "\n")


def _dumps(value: Any, pretty: bool, *, depth: int) -> str:
    if isinstance(value, Raw):
        if not pretty:
            return value
        value = json.loads(value)
    if not pretty:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # A JSON string never holds a raw newline, so indenting every line indents the value.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)
