"""The embedded SQLite store: analysed articles, and the entity graph built from all of them.

Articles are keyed by the hash of their bytes, so the same file is never analysed twice. Each
article is committed on its own, so an interrupted run keeps what it finished. The graph tables
are rebuilt from the stored analyses after each `extract`, so `show` only reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsents.errors import StoreError
from newsents.gcpause import cycle_collector_paused

# The models (pydantic) are imported where they are built: `show` answers without them.
if TYPE_CHECKING:
    from newsents.aliases import AliasRules
    from newsents.graph_update import ArticleState, GraphUpdate
    from newsents.models import (
        AnalysisRecord,
        Article,
        ArticleAnalysis,
        ArticleRef,
        ArticleSummary,
        Edge,
        Entity,
        EntitySummary,
        Graph,
        LinkEvidence,
        ModelOutput,
        Relation,
        SalientEntity,
    )
    from newsents.resolve.corpus import CorpusMemo

DB_ENV = "NEWSENTS_DB"
DEFAULT_DB = "newsents.db"
# How long a writer waits for another to finish its transaction before saying the store is
# busy: newsents's own transactions are short (an article; the graph in a few seconds).
WRITE_WAIT_SECONDS = 30.0
# SQLite's page cache while the graph tables are written (KiB).
GRAPH_WRITE_CACHE_KIB = 64 * 1024

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001_articles",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            model TEXT NOT NULL,
            analyzer TEXT NOT NULL,
            title TEXT,
            published TEXT,
            updated TEXT,
            analysis TEXT NOT NULL
        );
        CREATE INDEX articles_path ON articles(path);
        """,
    ),
    (
        "002_graph",
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            mention_count INTEGER NOT NULL,
            article_count INTEGER NOT NULL,
            data TEXT NOT NULL
        );
        CREATE TABLE entity_names (
            name TEXT NOT NULL,
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (name, entity_id)
        );
        CREATE TABLE edges (
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            weight INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (source, target)
        );
        CREATE INDEX edges_target ON edges(target);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        # Filled when the graph is written (migrations are history: never edit an applied one).
        "003_salience",
        """
        CREATE TABLE salience (
            entity_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (entity_id, article_id)
        );
        CREATE INDEX salience_article ON salience(article_id, score);
        CREATE TABLE relations (
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (source, target, kind)
        );
        CREATE INDEX relations_target ON relations(target);
        INSERT OR REPLACE INTO meta VALUES ('graph_stale', '1');
        """,
    ),
    (
        # The model's own output per article and model, so changed rules re-resolve without
        # NLP. The graph tables record the generation of the articles they were built from
        # (every change to articles or alias rules counts one up) and the rules that built them.
        "004_model_outputs",
        """
        CREATE TABLE model_outputs (
            article_id TEXT NOT NULL,
            model TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (article_id, model)
        );
        INSERT OR REPLACE INTO meta VALUES ('generation', '1');
        INSERT OR REPLACE INTO meta VALUES ('graph_generation', '0');
        DELETE FROM meta WHERE key = 'graph_stale';
        """,
    ),
    (
        # Views for people reading the store with SQL or Datasette (docs/store.md): a public
        # interface, so a later migration may add columns to them but never renames or drops.
        "005_views",
        """
        CREATE VIEW mentions AS
        SELECT e.id AS entity_id, e.name AS entity_name, e.type AS entity_type,
            json_extract(m.value, '$.article') AS article_id,
            json_extract(m.value, '$.start') AS start, json_extract(m.value, '$.end') AS "end",
            json_extract(m.value, '$.text') AS text,
            json_extract(m.value, '$.sentence') AS sentence,
            json_extract(m.value, '$.section') AS section,
            json_extract(m.value, '$.label') AS label, json_extract(m.value, '$.name') AS name,
            json_extract(m.value, '$.value') AS value
        FROM entities AS e, json_each(e.data, '$.mentions') AS m;
        CREATE VIEW entity_overview AS
        SELECT id, name, type, mention_count, article_count,
            json_extract(data, '$.label') AS label,
            json_extract(data, '$.ambiguous') AS ambiguous,
            json_extract(data, '$.value') AS value,
            json_extract(data, '$.granularity') AS granularity,
            json_extract(data, '$.aliases') AS aliases
        FROM entities;
        CREATE VIEW article_overview AS
        SELECT id, path, title, published, updated,
            json_extract(analysis, '$.article.authors') AS authors,
            json_extract(analysis, '$.article.url') AS url,
            json_extract(analysis, '$.article.site') AS site,
            (SELECT count(*) FROM salience AS s WHERE s.article_id = articles.id) AS entities
        FROM articles;
        CREATE VIEW links AS
        SELECT edges.source, s.name AS source_name, s.type AS source_type,
            edges.target, t.name AS target_name, t.type AS target_type, edges.weight,
            json_array_length(edges.data, '$.articles') AS articles
        FROM edges
        JOIN entities AS s ON s.id = edges.source
        JOIN entities AS t ON t.id = edges.target;
        CREATE VIEW entity_articles AS
        SELECT s.entity_id, e.name AS entity_name, e.type AS entity_type, s.article_id,
            a.title, a.published, a.path, s.score AS salience
        FROM salience AS s
        JOIN entities AS e ON e.id = s.entity_id
        JOIN articles AS a ON a.id = s.article_id;
        """,
    ),
    (
        # What each input file held when it was last read, so a re-run need not read a file
        # that has not changed since (pipeline.py): its stamp (size, modification and change
        # times), the reader (the loader's fingerprint and the options), and its articles.
        "006_sources",
        """
        CREATE TABLE sources (
            path TEXT PRIMARY KEY,
            stamp TEXT NOT NULL,
            reader TEXT NOT NULL,
            articles TEXT NOT NULL
        );
        """,
    ),
    (
        # What the graph tables hold of each article (graph_update.py): the digest of its
        # mentions' part in the graph and the entities they joined, written with the graph, so
        # the next graph rebuilds only what changed. Empty until a graph is written. Deleting
        # some entities looks up their names by entity (the foreign key): indexed. (The
        # refind tables are replaced by 008's.)
        "007_graph_articles",
        """
        CREATE TABLE graph_articles (
            article_id TEXT PRIMARY KEY,
            digest TEXT NOT NULL,
            entities TEXT NOT NULL
        );
        CREATE INDEX entity_names_entity ON entity_names(entity_id);
        CREATE TABLE refind_memo (
            article_id TEXT PRIMARY KEY,
            read TEXT NOT NULL,
            words TEXT NOT NULL,
            found TEXT NOT NULL
        );
        CREATE TABLE refind_names (name TEXT PRIMARY KEY, meaning TEXT NOT NULL);
        """,
    ),
    (
        # What the corpus passes read and found (resolve/corpus.py `CorpusMemo`): refinding by
        # article, its gazetteer, the corpus's word counts and the texts they count. Written
        # with the graph, in the same transaction, so the next graph reuses what still holds.
        "008_corpus_memo",
        """
        DROP TABLE IF EXISTS refind_memo;
        DROP TABLE IF EXISTS refind_names;
        CREATE TABLE memo_refind (
            article_id TEXT PRIMARY KEY,
            read TEXT NOT NULL,
            words TEXT NOT NULL,
            found TEXT NOT NULL
        );
        CREATE TABLE memo_names (name TEXT PRIMARY KEY, meaning TEXT NOT NULL);
        CREATE TABLE memo_words (
            word TEXT NOT NULL,
            kind TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (word, kind)
        );
        CREATE TABLE memo_texts (article_id TEXT PRIMARY KEY, text TEXT NOT NULL);
        """,
    ),
    (
        # A digest of the text the model read (fingerprint.text_digest) with its output: a
        # loader changed since that shows the model the same text reuses the output, no NLP.
        # Outputs stored before have none, and are not reused so.
        "009_model_text",
        """
        ALTER TABLE model_outputs ADD COLUMN text_digest TEXT;
        """,
    ),
    (
        # Each link's evidence for `show` (graph.cooccurrence_links): [article id, sentence
        # index, [[start, end], ...]] of the first sentence naming both. Links written before
        # have none, and `show` finds it from the entities' mentions as it did.
        "010_edge_evidence",
        """
        ALTER TABLE edges ADD COLUMN evidence TEXT;
        """,
    ),
]

# Migrations a read-only command can do without: they add what only `serve`, `extract` and
# people's own SQL read. A store that lacks them is read as it is; the next `extract` or
# `serve` adds them.
NOT_NEEDED_FOR_READING = frozenset(
    {
        "005_views",
        "006_sources",
        "007_graph_articles",
        "008_corpus_memo",
        "009_model_text",
        "010_edge_evidence",
    }
)


def _evidence_json(evidence: dict[tuple[str, str], LinkEvidence], edge: Edge) -> str | None:
    found = evidence.get((edge.source, edge.target))
    return json.dumps(found, separators=(",", ":")) if found else None


def _evidence_from_json(found: str) -> LinkEvidence:
    article, sentence, marks = json.loads(found)
    return str(article), int(sentence), [(int(s), int(e)) for s, e in marks]


def default_db_path() -> str:
    """$NEWSENTS_DB, else newsents.db in the current folder."""
    return os.environ.get(DB_ENV) or DEFAULT_DB


@dataclass(frozen=True)
class StoredArticle:
    id: str
    path: str
    model: str
    analyzer: str
    published: str | None = None


@dataclass(frozen=True)
class GraphBase:
    """The graph tables as an update starts from them: the generation they were built at and
    what they hold of each article (graph_update.py)."""

    generation: str
    states: dict[str, ArticleState]
    memo: CorpusMemo


def _memo_rows(memo: CorpusMemo) -> dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], Any]]:
    """The rows of each memo table, (table, key columns) → key → what the other columns
    are written from (`_memo_columns`)."""
    words = memo.words
    return {
        ("memo_refind", ("article_id",)): {(a,): e for a, e in memo.refind.items()},
        ("memo_names", ("name",)): {(n,): meaning for n, meaning in memo.names.items()},
        ("memo_texts", ("article_id",)): {(a,): text for a, text in words.texts.items()},
        ("memo_words", ("word", "kind")): {
            **{(w, "lower"): n for w, n in words.lower.items()},
            **{(w, "capital_inside"): n for w, n in words.capital_inside.items()},
        },
    }


def _memo_columns(value: Any) -> tuple[Any, ...]:
    from newsents.resolve.corpus import RefindEntry

    if isinstance(value, RefindEntry):
        return (value.read, " ".join(sorted(value.words)), json.dumps(value.found))
    return (value,)


def _digest(aliases: AliasRules) -> str:
    return hashlib.sha256(aliases.model_dump_json().encode()).hexdigest()[:16]


class Store:
    """An open newsents database."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.db = connection
        self.path = path

    def close(self) -> None:
        self.db.close()

    # -- articles ---------------------------------------------------------------------------

    def find_article(self, article_id: str) -> StoredArticle | None:
        row = self.db.execute(
            "SELECT id, path, model, analyzer, published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return StoredArticle(*row) if row else None

    def source_articles(
        self, path: str, stamp: str, reader: str
    ) -> list[tuple[str, str, str | None]] | None:
        """(path, article id, publication date) of each article the file at `path` held when
        last read with `reader`, if its stamp is still `stamp`; else None."""
        row = self.db.execute(
            "SELECT articles FROM sources WHERE path = ? AND stamp = ? AND reader = ?",
            (path, stamp, reader),
        ).fetchone()
        return [(p, i, d) for p, i, d in json.loads(row[0])] if row else None

    def remember_sources(
        self, reader: str, read: Sequence[tuple[str, str, Sequence[tuple[str, str, str | None]]]]
    ) -> None:
        """What each file (path, stamp) held, read with `reader`."""
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
                (
                    (path, stamp, reader, json.dumps([list(a) for a in held]))
                    for path, stamp, held in read
                ),
            )

    def model_output(self, article_id: str, model: str) -> ModelOutput | None:
        """What `model` found in the article, if it ever analysed this content here."""
        from newsents.models import ModelOutput

        found = self.model_output_json(article_id, model)
        return ModelOutput.model_validate_json(found) if found is not None else None

    def text_digests(self, article_id: str, runner: str) -> dict[str, str]:
        """Text digest → model key of each output stored for the article by the model run the
        same way (`runner`: the model key up to its input's fingerprint), whatever loader
        read the text; outputs stored with no digest are not among them."""
        rows = self.db.execute(
            "SELECT text_digest, model FROM model_outputs WHERE article_id = ? "
            "AND text_digest IS NOT NULL AND substr(model, 1, ?) = ?",
            (article_id, len(runner), runner),
        )
        return {str(digest): str(model) for digest, model in rows}

    def model_output_json(self, article_id: str, model: str) -> str | None:
        """`model_output` as the JSON stored."""
        row = self.db.execute(
            "SELECT data FROM model_outputs WHERE article_id = ? AND model = ?", (article_id, model)
        ).fetchone()
        return str(row[0]) if row else None

    def save_analysis(
        self,
        analysis: ArticleAnalysis,
        *,
        model: str,
        analyzer: str,
        output: ModelOutput | None = None,
    ) -> None:
        """Store one article's analysis (and the model output it came from, when new, with no
        digest of its text: a later loader does not reuse it), replacing an older version of
        the same file."""
        output_json = output.model_dump_json() if output is not None else None
        self._save(analysis.article, analysis.model_dump_json(), output_json, model, analyzer)

    def save_record(self, record: AnalysisRecord, *, model: str, analyzer: str) -> None:
        """Store what analysis made of one article, with the model output it came from."""
        self._save(
            record.article,
            record.analysis_json,
            record.output_json,
            model,
            analyzer,
            record.text_digest,
        )

    def _save(
        self,
        article: Article,
        analysis_json: str,
        output_json: str | None,
        model: str,
        analyzer: str,
        text_digest: str | None = None,
    ) -> None:
        with self.transaction():
            if output_json is not None:
                # Only the latest model's output is kept: outputs of another model or of an
                # older loader would otherwise pile up, one per article and build.
                self.db.execute(
                    "DELETE FROM model_outputs WHERE article_id = ? AND model != ?",
                    (article.id, model),
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO model_outputs VALUES (?, ?, ?, ?)",
                    (article.id, model, output_json, text_digest),
                )
            self._forget_older_version(article.path, article.id)
            self.db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.path,
                    model,
                    analyzer,
                    article.title,
                    article.published,
                    article.updated,
                    analysis_json,
                ),
            )
            self._count_a_change()

    def set_path(self, article_id: str, path: str) -> None:
        """Record where a known article was found this time (a copy, a move, a rename)."""
        with self.transaction():
            self._forget_older_version(path, article_id)
            changed = self.db.execute(
                "UPDATE articles SET path = ? WHERE id = ? AND path != ?", (path, article_id, path)
            ).rowcount
            if changed:
                self._count_a_change()

    def _forget_older_version(self, path: str, article_id: str) -> None:
        """A file whose content changed replaces its old version; stdin (`-`) has no
        identity beyond its content, so articles piped in one by one accumulate."""
        if path != "-":
            self.db.execute(
                "DELETE FROM model_outputs WHERE article_id IN "
                "(SELECT id FROM articles WHERE path = ? AND id != ?)",
                (path, article_id),
            )
            self.db.execute("DELETE FROM articles WHERE path = ? AND id != ?", (path, article_id))

    def article_paths(self) -> list[tuple[str, str]]:
        """(id, path) of every stored article, by path."""
        return [
            (r[0], r[1]) for r in self.db.execute("SELECT id, path FROM articles ORDER BY path, id")
        ]

    def remove_articles(self, article_ids: Iterable[str]) -> int:
        """Forget these articles and their model output, in one transaction; how many were
        stored. The graph is then stale until it is built again."""
        ids = sorted(set(article_ids))
        if not ids:
            return 0
        with self.transaction():
            removed = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                self.db.execute(f"DELETE FROM model_outputs WHERE article_id IN ({marks})", chunk)
                removed += self.db.execute(
                    f"DELETE FROM articles WHERE id IN ({marks})", chunk
                ).rowcount
            if removed:
                self._count_a_change()
        return removed

    @cycle_collector_paused()
    def load_analyses(self, article_ids: Iterable[str] | None = None) -> list[ArticleAnalysis]:
        """Analyses of the given articles (all, when None), in the store."""
        if article_ids is None:
            rows = self.db.execute(
                "SELECT analysis, path FROM articles ORDER BY path, id"
            ).fetchall()
        else:
            rows = []
            for article_id in dict.fromkeys(article_ids):
                row = self.db.execute(
                    "SELECT analysis, path FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row:
                    rows.append(row)
        return [_analysis_from_row(row) for row in rows]

    def article_texts(
        self, article_ids: Iterable[str]
    ) -> Iterator[tuple[str, str, dict[int, tuple[int, int]]]]:
        """(id, text, sentence index → (start, end)) of those of the articles stored, in the
        order given, one at a time (no analysis is read whole)."""
        for article_id in article_ids:
            found = self.article_sentences(article_id)
            if found is not None:
                text, sentences = found
                yield article_id, text, {s["index"]: (s["start"], s["end"]) for s in sentences}

    def analyses_by_other_rules(
        self, *, runner: str, rules: str
    ) -> list[tuple[ArticleAnalysis, str]]:
        """Analyses made with a model key that begins `runner` (the same model, run the same
        way, whatever loader read the text) by rules other than `rules` (an older build's),
        each with that key."""
        rows = self.db.execute(
            "SELECT analysis, path, model FROM articles WHERE substr(model, 1, ?) = ? "
            "AND analyzer != ? ORDER BY path, id",
            (len(runner), runner, rules),
        ).fetchall()
        return [(_analysis_from_row(row[:2]), str(row[2])) for row in rows]

    def load_analysis(self, article_id: str) -> ArticleAnalysis | None:
        row = self.db.execute(
            "SELECT analysis, path FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _analysis_from_row(row) if row else None

    def article_refs(self, article_ids: Iterable[str]) -> list[ArticleRef]:
        """The stored articles of these ids, by id (one query, however many)."""
        from newsents.models import ArticleRef

        return [ArticleRef(**record) for record in self.article_ref_records(article_ids)]

    def article_ref_records(self, article_ids: Iterable[str]) -> list[dict[str, Any]]:
        """As `article_refs`, each a dict of the fields of an `ArticleRef`."""
        rows = self.db.execute(
            "SELECT id, path, title, published, updated FROM articles "
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(sorted(set(article_ids))),),
        ).fetchall()
        fields = ("id", "path", "title", "published", "updated")
        return [dict(zip(fields, row, strict=True)) for row in rows]

    def article_sentences(self, article_id: str) -> tuple[str, list[dict[str, Any]]] | None:
        """The article's text and its sentences (index, start, end, section), read without
        the rest of its analysis."""
        # Both as one JSON array: SQLite's text value of a JSON string ends at a `\u0000`.
        row = self.db.execute(
            "SELECT json_extract(analysis, '$.text', '$.sentences') FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        text, sentences = json.loads(row[0])
        return text, sentences or []

    def article_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- the graph of everything stored -----------------------------------------------------

    def generation(self) -> int:
        """Counts every change to the stored articles and alias rules."""
        return int(self._meta("generation") or 0)

    def graph_is_stale(self, rules: str) -> bool:
        """Whether the graph tables miss a change to the articles, or were built by other
        rules than `rules` (fingerprint.corpus_rules of this build)."""
        return (
            self._meta("graph_generation") != str(self.generation())
            or self._meta("graph_rules") != rules
        )

    def graph_built_at(self, generation: int) -> bool:
        """Whether the graph tables hold the graph of the articles as they were at
        `generation` (the graph built from them then is the same, byte for byte)."""
        return self._meta("graph_generation") == str(generation)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _count_a_change(self) -> None:
        self.db.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
        )

    @contextmanager
    def snapshot(self) -> Iterator[int]:
        """Read in one consistent view of the store; yields its generation. Nested in another
        snapshot, it reads in that one's view."""
        if self.db.in_transaction:
            yield self.generation()
            return
        self.db.execute("BEGIN")
        try:
            yield self.generation()
        finally:
            self.db.execute("COMMIT")

    def alias_rules(self) -> AliasRules:
        """The alias rules of the last `extract` (applied again whenever the graph is rebuilt)."""
        from newsents.aliases import AliasRules

        row = self.db.execute("SELECT value FROM meta WHERE key = 'aliases'").fetchone()
        return AliasRules.model_validate_json(row[0]) if row else AliasRules()

    def set_alias_rules(self, rules: AliasRules) -> None:
        if rules == self.alias_rules():
            return
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('aliases', ?)", (rules.model_dump_json(),)
            )
            self._count_a_change()

    def graph_base(self, rules: str, aliases: AliasRules) -> GraphBase | None:
        """What the graph tables hold of each article, when they are a graph an update can
        start from: written with these rules and alias rules, with its articles' states."""
        if self._meta("graph_rules") != rules or self._meta("graph_aliases") != _digest(aliases):
            return None
        states = {
            article_id: (digest, tuple(json.loads(entities)))
            for article_id, digest, entities in self.db.execute(
                "SELECT article_id, digest, entities FROM graph_articles"
            )
        }
        if not states:
            return None
        return GraphBase(str(self._meta("graph_generation")), states, self._memo())

    def _memo(self) -> CorpusMemo:
        from newsents.resolve.corpus import CorpusMemo, RefindEntry, WordCounts

        refind = {
            article_id: RefindEntry(
                read, frozenset(words.split()), [tuple(f) for f in json.loads(found)]
            )
            for article_id, read, words, found in self.db.execute("SELECT * FROM memo_refind")
        }
        words = WordCounts(dict(self.db.execute("SELECT * FROM memo_texts").fetchall()))
        for word, kind, n in self.db.execute("SELECT * FROM memo_words"):
            (words.lower if kind == "lower" else words.capital_inside)[word] = n
        names = dict(self.db.execute("SELECT * FROM memo_names").fetchall())
        return CorpusMemo(refind, names, words)

    def entity_heads(self, leaving_out: set[str]) -> list[tuple[str, str, str]]:
        """(id, name, type) of each stored entity but those left out."""
        rows = self.db.execute("SELECT id, name, type FROM entities").fetchall()
        return [row for row in rows if row[0] not in leaving_out]

    @cycle_collector_paused()
    def update_graph(
        self, update: GraphUpdate, *, base: GraphBase, generation: int, rules: str
    ) -> bool:
        """Write `update` over the graph tables, in one transaction, when they still hold the
        graph of `base` and the articles are still those of `generation` (else nothing is
        written and the answer is False)."""
        with self._large_cache(), self.transaction():
            if (
                self.generation() != generation
                or self._meta("graph_generation") != base.generation
                or self._meta("graph_rules") != rules
            ):
                return False
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM temp.touched")
            self.db.executemany(
                "INSERT INTO temp.touched VALUES (?)", ((i,) for i in update.touched)
            )
            self.db.execute(
                "DELETE FROM entity_names WHERE entity_id IN (SELECT id FROM temp.touched)"
            )
            self.db.execute("DELETE FROM entities WHERE id IN (SELECT id FROM temp.touched)")
            # The unary `+` keeps SQLite from looking each (source, target) pair up in the
            # primary key, touched × touched lookups: 45 s when every entity is touched.
            self.db.execute(
                "DELETE FROM edges WHERE source IN (SELECT id FROM temp.touched) "
                "AND +target IN (SELECT id FROM temp.touched)"
            )
            self.db.execute("DELETE FROM temp.touched")
            dirty = [(a,) for a in sorted(update.dirty)]
            self.db.executemany("DELETE FROM salience WHERE article_id = ?", dirty)
            self.db.executemany("DELETE FROM graph_articles WHERE article_id = ?", dirty)
            self.db.execute("DELETE FROM relations")
            self._insert_graph(
                update.entities, update.edges, update.relations, update.salience, update.evidence
            )
            self._insert_states(update.states)
            self._write_memo(base.memo, update.memo)
            self._mark_graph_written(generation, rules)
        return True

    @cycle_collector_paused()
    def save_graph(
        self,
        graph: Graph,
        salience: dict[tuple[str, str], float],
        *,
        generation: int,
        rules: str,
        states: dict[str, ArticleState] | None = None,
        memo: CorpusMemo | None = None,
        evidence: dict[tuple[str, str], LinkEvidence] | None = None,
    ) -> bool:
        """Replace the graph tables with a graph built from the articles as they were at
        `generation`, in one transaction. When the articles changed since (another writer),
        nothing is written and the answer is False: a stale graph is never marked fresh.
        `states`, `memo`: what the graph holds of each article and what the corpus passes
        read and found, for the next graph to update it. `evidence`: each link's, for `show`
        (graph.cooccurrence_links)."""
        with self._large_cache(), self.transaction():
            if self.generation() != generation:
                return False
            self.db.execute("DELETE FROM entity_names")
            self.db.execute("DELETE FROM entities")
            self.db.execute("DELETE FROM edges")
            self.db.execute("DELETE FROM salience")
            self.db.execute("DELETE FROM relations")
            self.db.execute("DELETE FROM graph_articles")
            self._insert_graph(
                graph.entities, graph.edges, graph.relations, salience, evidence or {}
            )
            self._insert_states(states or {})
            self._write_memo(None, memo)
            self._mark_graph_written(generation, rules)
        return True

    def _insert_graph(
        self,
        entities: list[Entity],
        edges: list[Edge],
        relations: list[Relation],
        salience: dict[tuple[str, str], float],
        evidence: dict[tuple[str, str], LinkEvidence],
    ) -> None:
        self.db.executemany(
            "INSERT INTO salience VALUES (?, ?, ?)",
            ((e, a, score) for (e, a), score in salience.items()),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO relations VALUES (?, ?, ?, ?)",
            ((r.source, r.target, r.kind, r.model_dump_json()) for r in relations),
        )
        self.db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
            (
                (e.id, e.name, e.type, e.mention_count, e.article_count, e.model_dump_json())
                for e in entities
            ),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_names VALUES (?, ?)",
            ((name.casefold(), e.id) for e in entities for name in {e.name, *e.aliases}),
        )
        self.db.executemany(
            "INSERT INTO edges (source, target, weight, data, evidence) VALUES (?, ?, ?, ?, ?)",
            (
                (d.source, d.target, d.weight, d.model_dump_json(), _evidence_json(evidence, d))
                for d in edges
            ),
        )

    def _insert_states(self, states: dict[str, ArticleState]) -> None:
        self.db.executemany(
            "INSERT INTO graph_articles VALUES (?, ?, ?)",
            ((a, digest, json.dumps(list(ids))) for a, (digest, ids) in sorted(states.items())),
        )

    def _write_memo(self, old: CorpusMemo | None, new: CorpusMemo | None) -> None:
        """Bring the memo tables from `old` (None: whatever they hold) to `new`: each row
        whose value changed is written, each whose key went is deleted."""
        from newsents.resolve.corpus import CorpusMemo

        before, after = _memo_rows(old or CorpusMemo()), _memo_rows(new or CorpusMemo())
        for (table, keys), rows in after.items():
            was = before[(table, keys)]
            if old is None:
                self.db.execute(f"DELETE FROM {table}")
            where = " AND ".join(f"{k} = ?" for k in keys)
            self.db.executemany(
                f"DELETE FROM {table} WHERE {where}", sorted(was.keys() - rows.keys())
            )
            written = [(*k, *_memo_columns(v)) for k, v in sorted(rows.items()) if was.get(k) != v]
            if written:
                marks = ", ".join("?" * len(written[0]))
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", written)

    def _mark_graph_written(self, generation: int, rules: str) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                ("graph_generation", str(generation)),
                ("graph_rules", rules),
                ("graph_aliases", _digest(self.alias_rules())),
            ],
        )

    def graph_counts(self) -> tuple[int, int]:
        """How many entities and co-occurrence links the stored graph has."""
        return (
            int(self.db.execute("SELECT count(*) FROM entities").fetchone()[0]),
            int(self.db.execute("SELECT count(*) FROM edges").fetchone()[0]),
        )

    def load_graph(self) -> Graph:
        """The stored graph, as the last `extract` built it (read from its tables)."""
        from newsents.models import Article, Edge, Entity, Graph, Relation

        with self.snapshot():
            articles = [
                Article.model_validate_json(data).model_copy(update={"path": path})
                for data, path in self.db.execute(
                    "SELECT json_extract(analysis, '$.article'), path FROM articles "
                    "ORDER BY path, id"
                )
            ]
            entities = [
                Entity.model_validate_json(r[0])
                for r in self.db.execute("SELECT data FROM entities")
            ]
            edges = [
                Edge.model_validate_json(r[0])
                for r in self.db.execute("SELECT data FROM edges ORDER BY source, target")
            ]
            relations = [
                Relation.model_validate_json(r[0])
                for r in self.db.execute("SELECT data FROM relations ORDER BY source, target, kind")
            ]
        entities.sort(key=lambda e: (e.type, e.name.casefold(), e.id))
        return Graph(articles=articles, entities=entities, edges=edges, relations=relations)

    def entities_named(self, name: str) -> list[Entity]:
        from newsents.models import Entity

        return [Entity.model_validate_json(data) for data in self.entity_json_named(name)]

    def entity_json_named(self, name: str) -> list[str]:
        """The stored JSON of the entities with this name or alias (any case), most mentioned
        first."""
        rows = self.db.execute(
            "SELECT e.data FROM entity_names n JOIN entities e ON e.id = n.entity_id "
            "WHERE n.name = ? ORDER BY e.mention_count DESC, e.id",
            (name.casefold(),),
        ).fetchall()
        return [r[0] for r in rows]

    def entity(self, entity_id: str, *, mentions_in: Iterable[str] | None = None) -> Entity | None:
        """The entity; with `mentions_in`, only its mentions in those articles are read (its
        counts stay whole): a neighbour named in thousands of articles is read in a moment."""
        from newsents.models import Entity

        data = self.entity_json(entity_id, mentions_in=mentions_in)
        return Entity.model_validate_json(data) if data is not None else None

    def entity_json(
        self, entity_id: str, *, mentions_in: Iterable[str] | None = None
    ) -> str | None:
        """The stored JSON of `entity` (the same arguments)."""
        if mentions_in is None:
            query, params = "SELECT data FROM entities WHERE id = ?", [entity_id]
        else:
            articles = sorted(set(mentions_in))
            query = (
                "SELECT json_set(data, '$.mentions', (SELECT json_group_array(json(m.value)) "
                "FROM json_each(data, '$.mentions') m WHERE json_extract(m.value, '$.article') "
                f"IN ({','.join('?' * len(articles))}))) FROM entities WHERE id = ?"
            )
            params = [*articles, entity_id]
        row = self.db.execute(query, params).fetchone()
        return row[0] if row else None

    def entity_head(self, entity_id: str) -> tuple[str, str, str] | None:
        """The entity's id, name and type."""
        row = self.db.execute(
            "SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def edges_of(
        self,
        entity_id: str,
        *,
        types: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        """The entity's links, strongest first (then by the other end's name), to entities of
        `types` (any, when None), at most `limit`."""
        return [edge for edge, _, _ in self.neighbours_of(entity_id, types=types, limit=limit)]

    def neighbours_of(
        self,
        entity_id: str,
        *,
        types: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, tuple[str, str, str], LinkEvidence | None]]:
        """As `edges_of`, each link with the other end's (id, name, type) and the evidence the
        store keeps for it (None for a link written before it kept any)."""
        from newsents.models import Edge

        return [
            (Edge.model_validate_json(data), other, evidence)
            for data, other, evidence in self.neighbour_json(entity_id, types=types, limit=limit)
        ]

    def neighbour_json(
        self,
        entity_id: str,
        *,
        types: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, tuple[str, str, str], LinkEvidence | None]]:
        """As `neighbours_of`, each link as its stored JSON."""
        wanted = sorted(set(types or ()))
        kept = f"AND o.type IN ({','.join('?' * len(wanted))}) " if wanted else ""
        evidence = "e.evidence" if self._has_column("edges", "evidence") else "NULL"
        rows = self.db.execute(
            f"SELECT e.data, o.id, o.name, o.type, {evidence} FROM edges e JOIN entities o "
            "ON o.id = CASE WHEN e.source = ? THEN e.target ELSE e.source END "
            f"WHERE (e.source = ? OR e.target = ?) {kept}"
            "ORDER BY e.weight DESC, lower(o.name), o.id LIMIT ?",
            (entity_id, entity_id, entity_id, *wanted, -1 if limit is None else limit),
        ).fetchall()
        return [
            (data, (other_id, name, other_type), _evidence_from_json(found) if found else None)
            for data, other_id, name, other_type, found in rows
        ]

    def _has_column(self, table: str, column: str) -> bool:
        return any(r[1] == column for r in self.db.execute(f"PRAGMA table_info({table})"))

    def edge_count(self, entity_id: str, *, types: Iterable[str] | None = None) -> int:
        """How many links the entity has to entities of `types` (any, when None)."""
        wanted = sorted(set(types or ()))
        kept = f"AND o.type IN ({','.join('?' * len(wanted))}) " if wanted else ""
        row = self.db.execute(
            "SELECT count(*) FROM edges e JOIN entities o "
            "ON o.id = CASE WHEN e.source = ? THEN e.target ELSE e.source END "
            f"WHERE (e.source = ? OR e.target = ?) {kept}",
            (entity_id, entity_id, entity_id, *wanted),
        ).fetchone()
        return int(row[0])

    def dates_valued(self, value: str) -> list[Entity]:
        """Date entities whose value is `value` (`2019-11-18`, `2019-W46`), most mentioned
        first."""
        from newsents.models import Entity

        return [Entity.model_validate_json(data) for data in self.date_json_valued(value)]

    def date_json_valued(self, value: str) -> list[str]:
        """As `dates_valued`, each entity's stored JSON."""
        rows = self.db.execute(
            "SELECT data FROM entities WHERE type = 'date' AND json_extract(data, '$.value') = ? "
            "ORDER BY mention_count DESC, id",
            (value.strip(),),
        ).fetchall()
        return [r[0] for r in rows]

    def relations_of(self, entity_id: str) -> list[Relation]:
        from newsents.models import Relation

        return [Relation.model_validate_json(data) for data in self.relation_json(entity_id)]

    def relation_json(self, entity_id: str) -> list[str]:
        """As `relations_of`, each relation's stored JSON."""
        rows = self.db.execute(
            "SELECT data FROM relations WHERE source = ? OR target = ? "
            "ORDER BY source, target, kind",
            (entity_id, entity_id),
        ).fetchall()
        return [r[0] for r in rows]

    def entity_names_and_aliases(self) -> list[tuple[str, str, int]]:
        """(name or alias casefolded, entity name, mention count) for near-match searches."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT n.name, e.name, e.mention_count FROM entity_names n "
                "JOIN entities e ON e.id = n.entity_id ORDER BY n.name, e.name"
            )
        ]

    # -- listings (salience: see salience.py) ------------------------------------------------

    def entity_summaries(
        self,
        *,
        entity_type: str | None = None,
        types: Iterable[str] | None = None,
        min_mentions: int = 1,
        sort: str = "mentions",
        limit: int | None = None,
        articles: ArticleFilter | None = None,
    ) -> list[EntitySummary]:
        """Entities (of `types`, any when None) with their counts and summed salience; ties
        broken by name and id. With `articles`, only mentions in the articles it keeps count,
        and a date entity is kept by its own value (what it stands for), not the article's."""
        from newsents.models import EntitySummary

        wanted = sorted({*(types or ()), *([entity_type] if entity_type else [])})
        order = {
            "mentions": "mention_count DESC, article_count DESC,",
            "articles": "article_count DESC, mention_count DESC,",
            "salience": "salience DESC, mention_count DESC,",
            "name": "",
        }[sort]
        of_type = f"e.type IN ({','.join('?' * len(wanted))})" if wanted else "1"
        if articles is None or not articles.active:
            query = (
                "SELECT e.id, e.name, e.type, json_extract(e.data, '$.label'), "
                "e.mention_count AS mention_count, e.article_count AS article_count, "
                "round(coalesce(sum(s.score), 0), 4) AS salience, json_extract(e.data, '$.value') "
                "FROM entities e LEFT JOIN salience s ON s.entity_id = e.id "
                f"WHERE {of_type} AND e.mention_count >= ? GROUP BY e.id "
                f"ORDER BY {order} lower(e.name), e.name, e.id LIMIT ?"
            )
            params: list[Any] = [*wanted, min_mentions, -1 if limit is None else limit]
        else:
            dated, dated_params = articles.where()
            anywhere, anywhere_params = articles.where(dates=False)
            dates = self.dates_within(articles)
            query = (
                f"WITH dated(id) AS (SELECT id FROM articles WHERE {dated}), "
                f"anywhere(id) AS (SELECT id FROM articles WHERE {anywhere}), "
                "counted AS (SELECT e.id AS id, count(*) AS mention_count_, "
                "count(DISTINCT json_extract(m.value, '$.article')) AS article_count_ "
                "FROM entities e, json_each(e.data, '$.mentions') m "
                f"WHERE {of_type} AND CASE WHEN e.type = 'date' "
                f"THEN e.id IN ({','.join('?' * len(dates))}) "
                "AND json_extract(m.value, '$.article') IN anywhere "
                "ELSE json_extract(m.value, '$.article') IN dated END GROUP BY e.id) "
                "SELECT e.id, e.name, e.type, json_extract(e.data, '$.label'), "
                "c.mention_count_ AS mention_count, c.article_count_ AS article_count, "
                "round(coalesce((SELECT sum(s.score) FROM salience s "
                "WHERE s.entity_id = e.id AND CASE WHEN e.type = 'date' "
                "THEN s.article_id IN anywhere ELSE s.article_id IN dated END), 0), 4) "
                "AS salience, "
                "json_extract(e.data, '$.value') "
                "FROM counted c JOIN entities e ON e.id = c.id WHERE c.mention_count_ >= ? "
                f"ORDER BY {order.replace('_count', '_count_')} lower(e.name), e.name, e.id LIMIT ?"
            )
            params = [
                *dated_params,
                *anywhere_params,
                *wanted,
                *dates,
                min_mentions,
                -1 if limit is None else limit,
            ]
        rows = self.db.execute(query, params).fetchall()
        return [
            EntitySummary(**dict(zip(EntitySummary.model_fields, r, strict=True))) for r in rows
        ]

    def holds_articles(self, articles: ArticleFilter) -> bool:
        """Whether any stored article is published in the filter's range at its path."""
        where, params = articles.where()
        return bool(
            self.db.execute(f"SELECT 1 FROM articles WHERE {where} LIMIT 1", params).fetchone()
        )

    def scope_of(self, articles: ArticleFilter) -> ArticleScope:
        """The articles and date entities a filter keeps (see ArticleScope)."""
        return ArticleScope(
            dated=self._article_ids(*articles.where()),
            anywhere=self._article_ids(*articles.where(dates=False)),
            dates=frozenset(self.dates_within(articles)),
        )

    def _article_ids(self, where: str, params: list[str]) -> frozenset[str]:
        rows = self.db.execute(f"SELECT id FROM articles WHERE {where}", params)
        return frozenset(r[0] for r in rows)

    def dates_within(self, articles: ArticleFilter) -> list[str]:
        """Ids of the date entities whose value overlaps the filter's dates (all, if none)."""
        rows = self.db.execute(
            "SELECT id, json_extract(data, '$.value') FROM entities WHERE type = 'date'"
        ).fetchall()
        return sorted(i for i, value in rows if articles.takes_date_value(value))

    def article_summaries(
        self,
        *,
        entity_ids: Iterable[str] | None = None,
        entity_groups: Sequence[Iterable[str]] | None = None,
        any_entity: bool = False,
        top: int = 5,
        with_text: bool = False,
        articles: ArticleFilter | None = None,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        """Articles by date, then path: all, or those mentioning one of `entity_ids`, or one
        entity of each of `entity_groups` (of any group, with `any_entity`), among those
        `articles` keeps; the first `limit`. With `with_text`, the text every offset points
        into."""
        # As a one-item JSON array: SQLite's text value of a JSON string ends at a `\u0000`.
        from newsents.models import ArticleSummary, SalientEntity

        text = "json_extract(analysis, '$.text', '$.article.id')" if with_text else "NULL"
        kept, params = (articles or ArticleFilter()).where()
        rows = self.db.execute(
            "SELECT id, path, title, published, updated, "
            "json_extract(analysis, '$.article.authors'), json_extract(analysis, '$.article.url'), "
            f"json_extract(analysis, '$.article.site'), {text}, "
            "json_extract(analysis, '$.article.dateline'), "
            "json_extract(analysis, '$.article.captions'), "
            f"json_extract(analysis, '$.article.credits') FROM articles WHERE {kept} "
            "ORDER BY path, id",
            params,
        ).fetchall()
        groups = [list(entity_ids)] if entity_ids is not None else None
        groups = [list(g) for g in entity_groups] if entity_groups is not None else groups
        wanted = None if groups is None else self._mentioning(groups, any_entity)
        salient: dict[str, list[SalientEntity]] = {}
        for article_id, eid, name, etype, score in self.db.execute(
            "SELECT s.article_id, e.id, e.name, e.type, s.score FROM salience s "
            "JOIN entities e ON e.id = s.entity_id "
            "ORDER BY s.article_id, s.score DESC, e.mention_count DESC, lower(e.name), e.id"
        ):
            found = salient.setdefault(article_id, [])
            if len(found) < top and score > 0:
                found.append(SalientEntity(id=eid, name=name, type=etype, salience=score))
        summaries = [
            ArticleSummary(
                id=r[0],
                path=r[1],
                title=r[2],
                date=r[3] or r[4],
                published=r[3],
                updated=r[4],
                authors=json.loads(r[5] or "[]"),
                url=r[6],
                site=r[7],
                dateline=r[9],
                captions=json.loads(r[10] or "[]"),
                credits=json.loads(r[11] or "[]"),
                top_entities=salient.get(r[0], []),
                text=json.loads(r[8])[0] if r[8] is not None else None,
            )
            for r in rows
            if wanted is None or r[0] in wanted
        ]
        summaries.sort(key=lambda a: (a.date is None, a.date or "", a.path, a.id))
        return summaries[:limit]

    def _mentioning(self, groups: list[list[str]], any_entity: bool) -> set[str]:
        """Articles that mention an entity of every group (of any group, `any_entity`)."""
        found = []
        for group in groups:
            marks = ",".join("?" * len(group))
            query = f"SELECT DISTINCT article_id FROM salience WHERE entity_id IN ({marks})"
            found.append({r[0] for r in self.db.execute(query, group)})
        if not found:
            return set()
        return set.union(*found) if any_entity else set.intersection(*found)

    # -- plumbing ---------------------------------------------------------------------------

    def _cannot_write(self, exc: sqlite3.OperationalError) -> str:
        if "locked" in str(exc) or "busy" in str(exc):
            return (
                f"the store {self.path} is busy: another program held it for "
                f"{WRITE_WAIT_SECONDS:g} s ({exc}); what was done is kept, run again when it "
                "is done"
            )
        return f"cannot write to store {self.path}: {exc}"

    @contextmanager
    def _large_cache(self) -> Iterator[None]:
        """A page cache of GRAPH_WRITE_CACHE_KIB while the graph tables are written: their
        indexes outgrow SQLite's 2 MiB default (the BBC graph is written a fifth faster)."""
        before = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = -{GRAPH_WRITE_CACHE_KIB}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size = {before}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a store another process holds is one clear error, not a traceback."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(self._cannot_write(exc)) from exc
        try:
            yield
        except sqlite3.OperationalError as exc:
            self.db.execute("ROLLBACK")
            raise StoreError(self._cannot_write(exc)) from exc
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a listing reads: published (else updated) on or after `since` and on
    or before `until` (ISO dates, any precision: `2005`, `2005-01`, `2005-01-31`), at a path
    matching the glob `path` (`*/politics/*`). An article with no date is outside any range."""

    since: str | None = None
    until: str | None = None
    path: str | None = None

    @property
    def active(self) -> bool:
        return any((self.since, self.until, self.path))

    def where(self, *, dates: bool = True) -> tuple[str, list[str]]:
        """An SQL condition on `articles` and its parameters."""
        conditions, params = ["1"], []
        if dates and self.since:
            conditions.append("coalesce(published, updated) >= ?")
            params.append(self.since)
        if dates and self.until:
            # `--until 2005-01` takes the whole of January: compare as many characters.
            conditions.append("substr(coalesce(published, updated), 1, ?) <= ?")
            params += [str(len(self.until)), self.until]
        if self.path:
            conditions.append("path GLOB ?")
            params.append(self.path)
        return " AND ".join(conditions), params

    def takes_date_value(self, value: str | None) -> bool:
        """Whether a date entity's value (`2005-01-31`, `2005-01`, `2005-Q1`, `2004-W12`,
        `195` for the 1950s) overlaps the range: the days it stands for, against the days
        from the first of `since` to the last of `until`."""
        if not (self.since or self.until):
            return True
        days = date_interval(value)
        if days is None:
            return False
        first, last = days
        return (not self.since or last >= day_span(self.since)[0]) and (
            not self.until or first <= day_span(self.until)[1]
        )


def day_span(date: str) -> tuple[str, str]:
    """The first and last day of a calendar date at any precision (`2005-02`: the 1st to the
    28th of February 2005), as ISO dates."""
    import calendar

    year = int(date[:4])
    if len(date) == 4:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(date[5:7])
    if len(date) == 7:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return date[:10], date[:10]


_QUARTERS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}
_TIMEX = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T[\w:.]*)?)?|W(?P<week>\d{2})|"
    r"(?P<part>Q[1-4]|H[12])|[A-Z]{2}))?$|(?P<decade>\d{3})$|(?P<century>\d{2})$"
)


def date_interval(value: str | None) -> tuple[str, str] | None:
    """The days a TIMEX value stands for (`2005-Q1`: 2005-01-01 to 2005-03-31; a season,
    its year; `195`: the 1950s), or None for a value with no calendar date (`PRESENT_REF`)."""
    import calendar
    import datetime as dt

    found = _TIMEX.match(value or "")
    if found is None:
        return None
    if found["decade"]:
        start = int(found["decade"]) * 10
        return f"{start:04d}-01-01", f"{start + 9:04d}-12-31"
    if found["century"]:
        start = int(found["century"]) * 100
        return f"{start:04d}-01-01", f"{start + 99:04d}-12-31"
    year = int(found["year"])
    try:
        if found["day"]:
            day = dt.date(year, int(found["month"]), int(found["day"])).isoformat()
            return day, day
        if found["month"]:
            return day_span(f"{year:04d}-{int(found['month']):02d}")
        if found["week"]:
            monday = dt.date.fromisocalendar(year, int(found["week"]), 1)
            return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
        if found["part"]:
            first, last = _QUARTERS[found["part"]]
            end = calendar.monthrange(year, last)[1]
            return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{end:02d}"
    except ValueError:
        return None
    return day_span(f"{year:04d}")


@dataclass(frozen=True)
class ArticleScope:
    """Which mentions an `ArticleFilter` keeps, as `newsents entities` counts them: those in
    an article published in the range at the path; a date entity's, when its value overlaps
    the range and the article is at the path."""

    dated: frozenset[str]  # articles published in the range, at the path
    anywhere: frozenset[str]  # articles at the path
    dates: frozenset[str]  # date entities whose value overlaps the range

    def keeps(self, entity_id: str, entity_type: str, article: str) -> bool:
        if entity_type == "date":
            return entity_id in self.dates and article in self.anywhere
        return article in self.dated

    def restrict(self, entity: Entity) -> Entity:
        """The entity with its kept mentions only, counted again."""
        mentions = [m for m in entity.mentions if self.keeps(entity.id, entity.type, m.article)]
        return entity.model_copy(
            update={
                "mentions": mentions,
                "mention_count": len(mentions),
                "article_count": len({m.article for m in mentions}),
            }
        )


def _analysis_from_row(row: tuple[str, str]) -> ArticleAnalysis:
    from newsents.models import ArticleAnalysis

    analysis = ArticleAnalysis.model_validate_json(row[0])
    if len(row) > 1 and row[1] != analysis.article.path:
        analysis.article.path = row[1]
    return analysis


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the store at path, $NEWSENTS_DB or ./newsents.db.

    With `create=False` (the read-only commands) the store is opened read-only: a missing
    store is an error, not a new file, and nothing is written to it, not even a migration (a
    store that needs one says so: `newsents rebuild` upgrades it).
    """
    db_path = str(Path(str(path) if path is not None else default_db_path()).expanduser())
    if not create:
        return _open_read_only(db_path)
    parent = Path(db_path).expanduser().parent
    if not parent.is_dir():
        raise StoreError(f"cannot create store {db_path}: folder {parent} does not exist")
    if not _folder_is_writable(db_path):
        raise StoreError(
            f"cannot write to store {db_path}: its folder is read-only (read commands such as "
            "`newsents entities` can still read it); copy it somewhere writable to add to it"
        )
    try:
        connection = sqlite3.connect(db_path, isolation_level=None, timeout=WRITE_WAIT_SECONDS)
        connection.execute("PRAGMA journal_mode = WAL")
        # WAL with NORMAL sync: a commit survives a crash of newsents (Ctrl-C, kill); only a
        # power cut may lose the last ones. One fsync per article would halve throughput.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        _check_not_damaged(connection, db_path)
        migrate(connection)
    except sqlite3.DatabaseError as exc:
        reason = damaged(db_path, exc) if is_damage(exc) else f"cannot open store {db_path}: {exc}"
        raise StoreError(reason) from exc
    return Store(connection, db_path)


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged or no database, not busy, locked or read-only."""
    name = getattr(exc, "sqlite_errorname", "")  # Python 3.11+
    if name:
        return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB")
    return "malformed" in str(exc) or "not a database" in str(exc)


def is_full(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite could not write for want of space (the disk, or a quota)."""
    name = getattr(exc, "sqlite_errorname", "")
    return name == "SQLITE_FULL" or "disk is full" in str(exc)


def _check_not_damaged(connection: sqlite3.Connection, db_path: str) -> None:
    """Before anything is written: SQLite's quick_check (every page and index, in about a
    second for the BBC corpus's store), so a damaged store is never written into."""
    problems = [row[0] for row in connection.execute("PRAGMA quick_check(1)")]
    if problems != ["ok"]:
        connection.close()
        lines = [line for line in problems[0].splitlines() if not line.startswith("***")]
        raise StoreError(damaged(db_path, (lines or ["quick_check failed"])[0]))


def damaged(db_path: str, why: object) -> str:
    """One line for a store SQLite cannot read, with the way to recover what it holds."""
    return (
        f"the store {db_path} is damaged ({why}); nothing was written. Recover what it holds "
        f"with `sqlite3 {db_path} .recover | sqlite3 recovered.db`, or move it away and run "
        "`newsents extract` again"
    )


def _open_read_only(db_path: str) -> Store:
    if not Path(db_path).is_file():
        raise StoreError(
            f"no store at {db_path}: run `newsents extract PATH...` first, or pass --db FILE"
        )
    try:
        connection = _connect_read_only(db_path)
        pending = _pending_migrations(connection)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open store {db_path}: {exc}") from exc
    if set(pending) - NOT_NEEDED_FOR_READING:
        connection.close()
        raise StoreError(
            f"store {db_path} was made by an older newsents: run `newsents rebuild --db "
            f"{db_path}` once to bring it up to date"
        )
    return Store(connection, db_path)


def _connect_read_only(db_path: str) -> sqlite3.Connection:
    """Open read-only. A WAL store needs its `-shm` file, which SQLite cannot create on
    read-only media (a CD, a read-only mount, a folder one may not write to): there nothing can
    write to the store either, so it is opened as immutable, with no locks and no `-shm`."""
    uri = Path(db_path).resolve().as_uri()
    try:
        connection = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None)
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return connection
    except sqlite3.OperationalError:
        if _folder_is_writable(db_path):
            raise
    return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None)


def _folder_is_writable(db_path: str) -> bool:
    # os.access says EROFS on a read-only mount even to root.
    return os.access(Path(db_path).resolve().parent, os.W_OK)


def _pending_migrations(connection: sqlite3.Connection) -> list[str]:
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if "migrations" not in tables:
        raise sqlite3.DatabaseError("not a newsents store (no migrations table)")
    done = {r[0] for r in connection.execute("SELECT name FROM migrations")}
    unknown = done - {name for name, _ in MIGRATIONS}
    if unknown:
        raise StoreError(f"store was written by a newer newsents (migrations {sorted(unknown)})")
    return [name for name, _ in MIGRATIONS if name not in done]


def add_missing_views(db_path: str) -> None:
    """Bring a store that lacks only what reading does without (its views) up to date."""
    connection = _connect_read_only(db_path)
    try:
        pending = _pending_migrations(connection)
    finally:
        connection.close()
    if pending:
        open_store(db_path).close()


def migrate(connection: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded, in order; returns the names applied."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {r[0] for r in connection.execute("SELECT name FROM migrations")}
    unknown = done - {name for name, _ in MIGRATIONS}
    if unknown:
        raise StoreError(f"store was written by a newer newsents (migrations {sorted(unknown)})")
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        connection.executescript(
            f"BEGIN; {sql} INSERT INTO migrations VALUES ('{name}', datetime('now')); COMMIT;"
        )
        applied.append(name)
    return applied
