"""Questions asked of the store: never runs NLP, never imports spaCy."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, cast

from newsents.errors import EntityNotFoundError
from newsents.models import (
    COOCCURRENCE_SECTIONS,
    ArticleAnalysis,
    ArticleRef,
    ArticleSummary,
    Entity,
    EntityReport,
    EntitySummary,
    EntityType,
    Evidence,
    LinkEvidence,
    MentionContext,
    Neighbour,
    RelatedEntity,
)
from newsents.store import ArticleFilter, ArticleScope, Store

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
    entities = _entities_named(store, name)
    analyses = _Analyses(store)
    scope = store.scope_of(within) if within is not None and within.active else None
    reports = []
    for found in entities:
        entity = found if scope is None else scope.restrict(found)
        if scope is None:
            neighbours = _neighbours(store, entity, analyses, max_neighbours, neighbour_types)
            count = (
                len(neighbours)
                if max_neighbours is None or len(neighbours) < max_neighbours
                else store.edge_count(entity.id, types=neighbour_types)
            )
        else:
            neighbours, count = _neighbours_within(
                store, entity, analyses, max_neighbours, neighbour_types, scope
            )
        report = _report(store, entity, analyses, neighbours, max_contexts)
        reports.append(report.model_copy(update={"neighbour_count": count}))
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
    wanted = [[e.id for e in _entities_named(store, name)] for name in names]
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


def _entities_named(store: Store, name: str) -> list[Entity]:
    # A date by its name (`Monday`) or by the value it stands for (`2019-11-18`).
    entities = store.entities_named(name) or store.dates_valued(name)
    if not entities:
        raise EntityNotFoundError(name, near_matches(store, name))
    return entities


class _Analyses:
    """Stored analyses, each loaded once per question."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.loaded: dict[str, ArticleAnalysis | None] = {}

    def get(self, article_id: str) -> ArticleAnalysis | None:
        if article_id not in self.loaded:
            self.loaded[article_id] = self.store.load_analysis(article_id)
        return self.loaded[article_id]


def _report(
    store: Store,
    entity: Entity,
    analyses: _Analyses,
    neighbours: list[Neighbour],
    max_contexts: int | None,
) -> EntityReport:
    return EntityReport(
        id=entity.id,
        name=entity.name,
        type=entity.type,
        label=entity.label,
        aliases=entity.aliases,
        mention_count=entity.mention_count,
        article_count=entity.article_count,
        articles=_articles(store, entity),
        neighbours=neighbours,
        contexts=_contexts(entity, analyses, max_contexts),
        type_votes=entity.type_votes,
        merges=entity.merges,
        ambiguous=entity.ambiguous,
        relations=_relations(store, entity),
        value=entity.value,
        granularity=entity.granularity,
    )


def _articles(store: Store, entity: Entity) -> list[ArticleRef]:
    refs = store.article_refs(m.article for m in entity.mentions)
    # As `newsents articles`: by date (published, else updated), undated last.
    return sorted(
        refs,
        key=lambda r: ((r.published or r.updated) is None, r.published or r.updated or "", r.path),
    )


def _neighbours(
    store: Store,
    entity: Entity,
    analyses: _Analyses,
    limit: int | None,
    types: Collection[str] | None,
) -> list[Neighbour]:
    found = []
    for edge, (other_id, name, other_type), kept in store.neighbours_of(
        entity.id, types=types, limit=limit
    ):
        if kept is not None:
            evidence = _kept_evidence(kept, analyses)
        else:  # a link stored before links kept their evidence
            # The evidence is in the first article where they meet (see _evidence).
            other = store.entity(other_id, mentions_in=edge.articles[:1])
            if other is None:
                continue
            evidence = _evidence(entity, other, analyses)
        found.append(
            Neighbour(
                id=other_id,
                name=name,
                type=cast(EntityType, other_type),
                weight=edge.weight,
                evidence=evidence,
            )
        )
    return found


def _kept_evidence(kept: LinkEvidence, analyses: _Analyses) -> Evidence | None:
    """The evidence the store keeps for a link, with its sentence read from the article."""
    article_id, index, marks = kept
    analysis = analyses.get(article_id)
    if analysis is None or index >= len(analysis.sentences):
        return None
    return _evidence_in(analysis, index, marks)


def _evidence_in(analysis: ArticleAnalysis, index: int, marks: list[tuple[int, int]]) -> Evidence:
    """Sentence `index` of the article, with `marks` (offsets into its text) highlighted."""
    sentence = analysis.sentences[index]
    return Evidence(
        article=analysis.article.id,
        section=sentence.section,
        sentence=analysis.text[sentence.start : sentence.end],
        highlights=[(start - sentence.start, end - sentence.start) for start, end in marks],
    )


def _neighbours_within(
    store: Store,
    entity: Entity,
    analyses: _Analyses,
    limit: int | None,
    types: Collection[str] | None,
    scope: ArticleScope,
) -> tuple[list[Neighbour], int]:
    """Neighbours as `_neighbours` gives them, each link weighed again over the kept
    mentions: the sentences of kept articles that name both; and how many there are."""
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
    return [
        Neighbour(
            id=other.id, name=other.name, type=other.type, weight=weight,
            evidence=_evidence(entity, other, analyses),
        )
        for weight, other in weighed[:limit]
    ], len(weighed)  # fmt: skip


def _evidence(entity: Entity, other: Entity, analyses: _Analyses) -> Evidence | None:
    """The first sentence (in article, then text order) that links the two entities."""
    theirs = {(m.article, m.sentence) for m in other.mentions}
    shared = sorted(
        {(m.article, m.sentence) for m in entity.mentions if (m.article, m.sentence) in theirs}
    )
    for article_id, index in shared:
        analysis = analyses.get(article_id)
        if analysis is None or index >= len(analysis.sentences):
            continue
        if analysis.sentences[index].section not in COOCCURRENCE_SECTIONS:
            continue
        marks = sorted(
            (m.start, m.end)
            for m in (*entity.mentions, *other.mentions)
            if m.article == article_id and m.sentence == index
        )
        return _evidence_in(analysis, index, marks)
    return None


def _relations(store: Store, entity: Entity) -> list[RelatedEntity]:
    related = []
    for relation in store.relations_of(entity.id):
        outgoing = relation.source == entity.id
        other = store.entity(relation.target if outgoing else relation.source)
        if other is not None:
            related.append(
                RelatedEntity(
                    kind=relation.kind,
                    direction="outgoing" if outgoing else "incoming",
                    id=other.id,
                    name=other.name,
                    type=other.type,
                    reason=relation.reason,
                )
            )
    return related


def _contexts(entity: Entity, analyses: _Analyses, limit: int | None) -> list[MentionContext]:
    contexts = []
    for mention in entity.mentions[:limit]:
        analysis = analyses.get(mention.article)
        if analysis is None:
            continue
        sentence = analysis.sentences[mention.sentence]
        contexts.append(
            MentionContext(
                article=mention.article,
                section=mention.section,
                text=mention.text,
                sentence=analysis.text[sentence.start : sentence.end],
                start=mention.start - sentence.start,
                end=mention.end - sentence.start,
            )
        )
    return contexts
