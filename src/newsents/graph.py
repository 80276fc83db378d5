"""Group resolved mentions into entities and link entities that share a sentence."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from newsents.models import (
    COOCCURRENCE_SECTIONS,
    ArticleAnalysis,
    Edge,
    Entity,
    EntityType,
    Graph,
    Mention,
    ResolvedMention,
)
from newsents.resolve import preferred_name


ID_PREFIX = {"person": "per", "organization": "org", "place": "loc", "date": "date"}


def entity_id(entity_type: str, key: str) -> str:
    """Stable id from what the entity is, never from run order: same input, same id."""
    digest = hashlib.sha256(f"{entity_type}\x1f{key}".encode()).hexdigest()
    return f"{ID_PREFIX[entity_type]}_{digest[:12]}"


def build_graph(analyses: Iterable[ArticleAnalysis]) -> Graph:
    """The entity graph of some analysed articles, every list in a stable order."""
    analyses = sorted(analyses, key=lambda a: (a.article.path, a.article.id))
    grouped: dict[tuple[EntityType, str], list[tuple[str, ResolvedMention]]] = defaultdict(list)
    for analysis in analyses:
        for mention in analysis.mentions:
            grouped[(mention.type, mention.key)].append((analysis.article.id, mention))
    entities = [_entity(t, k, found) for (t, k), found in grouped.items()]
    entities.sort(key=lambda e: (e.type, e.name.casefold(), e.id))
    return Graph(
        articles=[a.article for a in analyses],
        entities=entities,
        edges=_cooccurrence_edges(analyses),
    )


def _entity(entity_type: EntityType, key: str, found: list[tuple[str, ResolvedMention]]) -> Entity:
    mentions = sorted(
        (
            Mention(
                article=article_id,
                start=m.start,
                end=m.end,
                text=m.text,
                sentence=m.sentence,
                section=m.section,
                label=m.label,
                name=m.name,
                titles=m.titles,
                value=m.value,
                granularity=m.granularity,
                relative=m.relative,
            )
            for article_id, m in found
        ),
        key=lambda m: (m.article, m.start, m.end),
    )
    labels = Counter(m.label for _, m in found)
    return Entity(
        id=entity_id(entity_type, key),
        name=preferred_name(m.name for _, m in found),
        type=entity_type,
        label=min(labels, key=lambda label: (-labels[label], label)),
        aliases=sorted({m.name for _, m in found}),
        mention_count=len(mentions),
        article_count=len({m.article for m in mentions}),
        mentions=mentions,
    )


def _cooccurrence_edges(analyses: list[ArticleAnalysis]) -> list[Edge]:
    weights: Counter[tuple[str, str]] = Counter()
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for analysis in analyses:
        for ids in _entities_by_sentence(analysis).values():
            for pair in combinations(sorted(ids), 2):
                weights[pair] += 1
                articles[pair].add(analysis.article.id)
    return [
        Edge(source=s, target=t, weight=weights[(s, t)], articles=sorted(articles[(s, t)]))
        for s, t in sorted(weights)
    ]


def _entities_by_sentence(analysis: ArticleAnalysis) -> dict[int, set[str]]:
    sections = {s.index: s.section for s in analysis.sentences}
    by_sentence: dict[int, set[str]] = defaultdict(set)
    for m in analysis.mentions:
        if sections.get(m.sentence) in COOCCURRENCE_SECTIONS:
            by_sentence[m.sentence].add(entity_id(m.type, m.key))
    return by_sentence
