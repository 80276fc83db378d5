"""Questions asked of the store: never runs NLP, never imports spaCy."""

from __future__ import annotations

import difflib

from newsents.errors import EntityNotFoundError
from newsents.models import ArticleRef, Entity, EntityReport, MentionContext, Neighbour
from newsents.store import Store


def find_entity(
    store: Store, name: str, *, max_neighbours: int = 10, max_contexts: int = 5
) -> list[EntityReport]:
    """Entities whose name or alias is `name` (any case); raises with near matches if none."""
    if store.graph_is_stale():
        store.rebuild_graph()
    entities = store.entities_named(name)
    if not entities:
        raise EntityNotFoundError(name, near_matches(store, name))
    return [_report(store, e, max_neighbours, max_contexts) for e in entities]


def near_matches(store: Store, name: str, limit: int = 5) -> list[str]:
    names = store.all_entity_names()
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=limit, cutoff=0.6)
    contains = [n for f, n in folded.items() if name.casefold() in f and folded[f] not in close]
    return [folded[c] for c in close] + sorted(contains)[: max(0, limit - len(close))]


def _report(store: Store, entity: Entity, max_neighbours: int, max_contexts: int) -> EntityReport:
    return EntityReport(
        id=entity.id,
        name=entity.name,
        type=entity.type,
        label=entity.label,
        aliases=entity.aliases,
        mention_count=entity.mention_count,
        article_count=entity.article_count,
        articles=_articles(store, entity),
        neighbours=_neighbours(store, entity, max_neighbours),
        contexts=_contexts(store, entity, max_contexts),
    )


def _articles(store: Store, entity: Entity) -> list[ArticleRef]:
    refs = store.article_refs(m.article for m in entity.mentions)
    return sorted(refs, key=lambda r: (r.published or "", r.path))


def _neighbours(store: Store, entity: Entity, limit: int) -> list[Neighbour]:
    found = []
    for edge in store.edges_of(entity.id)[:limit]:
        other = store.entity(edge.target if edge.source == entity.id else edge.source)
        if other is not None:
            found.append(
                Neighbour(id=other.id, name=other.name, type=other.type, weight=edge.weight)
            )
    return found


def _contexts(store: Store, entity: Entity, limit: int) -> list[MentionContext]:
    contexts = []
    for mention in entity.mentions[:limit]:
        analysis = store.load_analysis(mention.article)
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
