"""Questions asked of the store: never runs NLP, never imports spaCy. `show`'s report is built
from the stored JSON as dicts, so it answers without importing pydantic; `find_entity` gives
the same as models."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Literal

from newsents.errors import EntityNotFoundError
from newsents.fingerprint import corpus_rules
from newsents.store import ArticleFilter, ArticleScope, Store

if TYPE_CHECKING:
    from newsents.models import (
        ArticleSummary,
        Entity,
        EntityReport,
        EntitySummary,
        EntityType,
        LinkEvidence,
    )

EntitySort = Literal["mentions", "articles", "salience", "name"]
# A near match scores at least this (0-100) on whole-name or word-by-word similarity.
NEAR_MATCH_CUTOFF = 75.0


def find_entity(
    store: Store,
    name: str,
    *,
    max_neighbours: int | None = 10,
    max_contexts: int | None = 5,
    neighbour_types: Collection[str] | None = None,
    within: ArticleFilter | None = None,
) -> list[EntityReport]:
    """Entities whose name or alias is `name` (any case); raises with near matches if none.
    Each report lists at most `max_neighbours` neighbours (of `neighbour_types`, any when
    None) and `max_contexts` mentions in context; None: all of them. `within`: what the
    articles it keeps say (mentions, articles, and links counted in their sentences), as
    `newsents entities` counts them."""
    from newsents.models import EntityReport

    reports = entity_reports(
        store,
        name,
        max_neighbours=max_neighbours,
        max_contexts=max_contexts,
        neighbour_types=neighbour_types,
        within=within,
    )
    return [EntityReport.model_validate(report) for report in reports]


def entity_reports(
    store: Store,
    name: str,
    *,
    max_neighbours: int | None = 10,
    max_contexts: int | None = 5,
    neighbour_types: Collection[str] | None = None,
    within: ArticleFilter | None = None,
) -> list[dict[str, Any]]:
    """What `find_entity` reports, each report the dict of an `EntityReport`'s fields."""
    entities = _entity_records_named(store, name)
    sentences = _Sentences(store)
    scope = store.scope_of(within) if within is not None and within.active else None
    reports = []
    for entity in entities:
        if scope is None:
            neighbours = _neighbours(store, entity, sentences, max_neighbours, neighbour_types)
            count = (
                len(neighbours)
                if max_neighbours is None or len(neighbours) < max_neighbours
                else store.edge_count(entity["id"], types=neighbour_types)
            )
        else:
            entity, neighbours, count = _within(
                store, entity, sentences, max_neighbours, neighbour_types, scope
            )
        reports.append(_report(store, entity, sentences, neighbours, max_contexts, count))
    return reports


def list_entities(
    store: Store,
    *,
    entity_type: EntityType | None = None,
    types: Collection[str] | None = None,
    min_mentions: int = 1,
    sort: EntitySort = "mentions",
    limit: int | None = None,
    articles: ArticleFilter | None = None,
) -> list[EntitySummary]:
    """Entities of the store (of `types`: any of them) with counts and salience (summed
    over their articles); with `articles`, counted in the articles it keeps only."""
    return store.entity_summaries(
        entity_type=entity_type,
        types=types,
        min_mentions=min_mentions,
        sort=sort,
        limit=limit,
        articles=articles,
    )


def list_articles(
    store: Store,
    *,
    entity: str | Sequence[str] | None = None,
    any_entity: bool = False,
    with_text: bool = False,
    articles: ArticleFilter | None = None,
    limit: int | None = None,
) -> list[ArticleSummary]:
    """Articles with their most salient entities (and their text, with `with_text`), by
    date: those mentioning every entity named (by name or alias; any of them with
    `any_entity`), among those `articles` keeps, the first `limit`. Raises with near matches
    when no entity has a name given."""
    names = [entity] if isinstance(entity, str) else list(entity or [])
    wanted = [[e["id"] for e in _entity_records_named(store, name)] for name in names]
    return store.article_summaries(
        entity_groups=wanted or None,
        any_entity=any_entity,
        with_text=with_text,
        articles=articles,
        limit=limit,
    )


def near_matches(store: Store, name: str, limit: int = 5) -> list[str]:
    """Entity names that look like `name`: a typo (`Yukkos`), or the words of a longer name
    (`Ebbers` for `Bernard Ebbers`); best first, then the most mentioned."""
    from rapidfuzz import fuzz  # only when a name is not found: `show` starts faster
    from rapidfuzz.utils import default_process

    query = default_process(name)
    if not query:
        return []
    query_words = query.split()
    best: dict[str, tuple[float, int]] = {}
    for alias, entity_name, mentions in store.entity_names_and_aliases():
        candidate = default_process(alias)
        words = candidate.split()
        if not words:
            continue
        by_words = sum(
            max(fuzz.ratio(q, w, score_cutoff=NEAR_MATCH_CUTOFF) for w in words)
            for q in query_words
        ) / len(query_words)
        score = max(fuzz.ratio(query, candidate), by_words)
        if score >= NEAR_MATCH_CUTOFF and (score, mentions) > best.get(entity_name, (0, 0)):
            best[entity_name] = (score, mentions)
    ranked = sorted(best, key=lambda n: (-best[n][0], -best[n][1], n.casefold(), n))
    return ranked[:limit]


def _entity_records_named(store: Store, name: str) -> list[dict[str, Any]]:
    """The entities a name (or alias) names, or a date by the value it stands for
    (`2019-11-18`), as their stored JSON parsed."""
    found = store.entity_json_named(name) or store.date_json_valued(name)
    if not found:
        raise EntityNotFoundError(name, near_matches(store, name))
    if store.graph_is_stale(corpus_rules()):
        # Another version wrote the graph: the model fills in what its JSON lacks.
        from newsents.models import Entity

        return [Entity.model_validate_json(data).model_dump(mode="json") for data in found]
    return [json.loads(data) for data in found]


# An article's text and its sentences (index, start, end, section), as the store keeps them.
_ArticleSentences = tuple[str, list[dict[str, Any]]]


class _Sentences:
    """The stored articles' texts and sentences, each read once per question."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.loaded: dict[str, _ArticleSentences | None] = {}

    def get(self, article_id: str) -> _ArticleSentences | None:
        if article_id not in self.loaded:
            self.loaded[article_id] = self.store.article_sentences(article_id)
        return self.loaded[article_id]


def _report(
    store: Store,
    entity: dict[str, Any],
    sentences: _Sentences,
    neighbours: list[dict[str, Any]],
    max_contexts: int | None,
    neighbour_count: int,
) -> dict[str, Any]:
    return {
        "id": entity["id"],
        "name": entity["name"],
        "type": entity["type"],
        "label": entity["label"],
        "aliases": entity["aliases"],
        "mention_count": entity["mention_count"],
        "article_count": entity["article_count"],
        "articles": _articles(store, entity),
        "neighbours": neighbours,
        "contexts": _contexts(entity, sentences, max_contexts),
        "type_votes": entity["type_votes"],
        "merges": entity["merges"],
        "ambiguous": entity["ambiguous"],
        "relations": _relations(store, entity),
        "neighbour_count": neighbour_count,
        "value": entity["value"],
        "granularity": entity["granularity"],
    }


def _articles(store: Store, entity: dict[str, Any]) -> list[dict[str, Any]]:
    refs = store.article_ref_records(m["article"] for m in entity["mentions"])
    # As `newsents articles`: by date (published, else updated), undated last.
    return sorted(
        refs,
        key=lambda r: (
            (r["published"] or r["updated"]) is None,
            r["published"] or r["updated"] or "",
            r["path"],
        ),
    )


def _neighbours(
    store: Store,
    entity: dict[str, Any],
    sentences: _Sentences,
    limit: int | None,
    types: Collection[str] | None,
) -> list[dict[str, Any]]:
    found = []
    for data, (other_id, name, other_type), kept in store.neighbour_json(
        entity["id"], types=types, limit=limit
    ):
        edge = json.loads(data)
        if kept is not None:
            evidence = _kept_evidence(kept, sentences)
        else:  # a link stored before links kept their evidence
            # The evidence is in the first article where they meet (see _evidence).
            other = store.entity_json(other_id, mentions_in=edge["articles"][:1])
            if other is None:
                continue
            evidence = _evidence(entity["mentions"], json.loads(other)["mentions"], sentences)
        found.append(_neighbour(other_id, name, other_type, edge["weight"], evidence))
    return found


def _neighbour(
    entity_id: str, name: str, entity_type: str, weight: int, evidence: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "id": entity_id,
        "name": name,
        "type": entity_type,
        "weight": weight,
        "evidence": evidence,
    }


def _kept_evidence(kept: LinkEvidence, sentences: _Sentences) -> dict[str, Any] | None:
    """The evidence the store keeps for a link, with its sentence read from the article."""
    article_id, index, marks = kept
    found = sentences.get(article_id)
    if found is None or index >= len(found[1]):
        return None
    return _evidence_in(article_id, found, index, marks)


def _evidence_in(
    article_id: str, found: _ArticleSentences, index: int, marks: list[tuple[int, int]]
) -> dict[str, Any]:
    """Sentence `index` of the article, with `marks` (offsets into its text) highlighted."""
    text, sentences = found
    sentence = sentences[index]
    start = sentence["start"]
    return {
        "article": article_id,
        "section": sentence["section"],
        "sentence": text[start : sentence["end"]],
        "highlights": [(s - start, e - start) for s, e in marks],
    }


def _within(
    store: Store,
    found: dict[str, Any],
    sentences: _Sentences,
    limit: int | None,
    types: Collection[str] | None,
    scope: ArticleScope,
) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """The entity as the articles the scope keeps name it, its neighbours there and how
    many there are."""
    from newsents.models import Entity

    entity = scope.restrict(Entity.model_validate(found))
    neighbours, count = _neighbours_within(store, entity, sentences, limit, types, scope)
    return entity.model_dump(mode="json"), neighbours, count


def _neighbours_within(
    store: Store,
    entity: Entity,
    sentences: _Sentences,
    limit: int | None,
    types: Collection[str] | None,
    scope: ArticleScope,
) -> tuple[list[dict[str, Any]], int]:
    """Neighbours as `_neighbours` gives them, each link weighed again over the kept
    mentions: the sentences of kept articles that name both; and how many there are."""
    from newsents.models import COOCCURRENCE_SECTIONS

    ours = {(m.article, m.sentence) for m in entity.mentions if m.section in COOCCURRENCE_SECTIONS}
    our_articles = {article for article, _ in ours}
    weighed: list[tuple[int, Entity]] = []
    for edge in store.edges_of(entity.id, types=types):
        other_id = edge.target if edge.source == entity.id else edge.source
        articles = [a for a in edge.articles if a in our_articles]
        other = store.entity(other_id, mentions_in=articles) if articles else None
        if other is None:
            continue
        other = scope.restrict(other)
        shared = ours & {
            (m.article, m.sentence) for m in other.mentions if m.section in COOCCURRENCE_SECTIONS
        }
        if shared:
            weighed.append((len(shared), other))
    weighed.sort(key=lambda pair: (-pair[0], pair[1].name.lower(), pair[1].id))
    # Evidence reads articles: only for the neighbours listed.
    mentions = [m.model_dump() for m in entity.mentions]
    return [
        _neighbour(
            other.id, other.name, other.type, weight,
            _evidence(mentions, [m.model_dump() for m in other.mentions], sentences),
        )
        for weight, other in weighed[:limit]
    ], len(weighed)  # fmt: skip


def _evidence(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]], sentences: _Sentences
) -> dict[str, Any] | None:
    """The first sentence (in article, then text order) that links two entities, given
    their mentions."""
    from newsents.models import COOCCURRENCE_SECTIONS

    where_theirs = {(m["article"], m["sentence"]) for m in theirs}
    shared = sorted(
        {
            (m["article"], m["sentence"])
            for m in ours
            if (m["article"], m["sentence"]) in where_theirs
        }
    )
    for article_id, index in shared:
        found = sentences.get(article_id)
        if found is None or index >= len(found[1]):
            continue
        if found[1][index]["section"] not in COOCCURRENCE_SECTIONS:
            continue
        marks = sorted(
            (m["start"], m["end"])
            for m in (*ours, *theirs)
            if m["article"] == article_id and m["sentence"] == index
        )
        return _evidence_in(article_id, found, index, marks)
    return None


def _relations(store: Store, entity: dict[str, Any]) -> list[dict[str, Any]]:
    related = []
    for data in store.relation_json(entity["id"]):
        relation = json.loads(data)
        outgoing = relation["source"] == entity["id"]
        head = store.entity_head(relation["target"] if outgoing else relation["source"])
        if head is not None:
            other_id, name, other_type = head
            related.append(
                {
                    "kind": relation["kind"],
                    "direction": "outgoing" if outgoing else "incoming",
                    "id": other_id,
                    "name": name,
                    "type": other_type,
                    "reason": relation["reason"],
                }
            )
    return related


def _contexts(
    entity: dict[str, Any], sentences: _Sentences, limit: int | None
) -> list[dict[str, Any]]:
    contexts = []
    for mention in entity["mentions"][:limit]:
        found = sentences.get(mention["article"])
        if found is None:
            continue
        text, in_article = found
        sentence = in_article[mention["sentence"]]
        start = sentence["start"]
        contexts.append(
            {
                "article": mention["article"],
                "section": mention["section"],
                "text": mention["text"],
                "sentence": text[start : sentence["end"]],
                "start": mention["start"] - start,
                "end": mention["end"] - start,
            }
        )
    return contexts
