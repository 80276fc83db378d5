"""Across articles: one entity per canonical name and type, merges audited, links with evidence.

Each article arrives resolved on its own, and resolve/corpus.py joins them across the corpus.
Here the keyed mentions become entities: one per key and type (a person stays apart from a
place or organisation of the same name), named, with their merges, edges and relations.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from pydantic import TypeAdapter

from newsents.aliases import AliasRules
from newsents.gcpause import cycle_collector_paused
from newsents.lexicon import is_country
from newsents.models import (
    COOCCURRENCE_SECTIONS,
    ArticleAnalysis,
    Edge,
    Entity,
    EntityType,
    Graph,
    LinkEvidence,
    Relation,
)
from newsents.resolve.article import preferred_name
from newsents.resolve.corpus import NOT_MERGES, CorpusMemo, Item, resolve_corpus
from newsents.resolve.names import canonical_key, company_base, company_key
from newsents.resolve.sports import side_name

ID_PREFIX = {"person": "per", "organization": "org", "place": "loc", "date": "date"}


def entity_id(entity_type: str, key: str, side: str | None = None) -> str:
    """Stable id from what the entity is, never from run order: same input, same id."""
    what = f"{entity_type}\x1f{key}" + (f"\x1fside\x1f{side}" if side else "")
    digest = hashlib.sha256(what.encode()).hexdigest()
    return f"{ID_PREFIX[entity_type]}_{digest[:12]}"


@dataclass
class _Group:
    key: str
    group: EntityType
    side: str | None = None  # the sport, when the group is the team named after a place
    items: list[Item] = field(default_factory=list)
    ambiguous: bool = False
    id: str = ""  # the entity's, once every item is in


def build_graph(analyses: Iterable[ArticleAnalysis], *, aliases: AliasRules | None = None) -> Graph:
    """The entity graph of some analysed articles, every list in a stable order."""
    # Read first: a lazy input (the model analysing articles) is no part of the pause.
    return _build_graph(sorted(analyses, key=lambda a: (a.article.path, a.article.id)), aliases)


@cycle_collector_paused()
def _build_graph(analyses: list[ArticleAnalysis], aliases: AliasRules | None) -> Graph:
    return graph_of(resolve_entities(analyses, aliases))


@dataclass
class Resolved:
    """The corpus resolved into groups of mentions, one group an entity, before the entities
    are built: what a whole graph and an update of a stored one (graph_update.py) start from."""

    analyses: list[ArticleAnalysis]  # in the graph's order: by path, then id
    items: list[Item]  # each with its entity's id
    groups: list[_Group]
    display: dict[str, str]  # key → the name the alias file gives it
    memo: CorpusMemo  # what the corpus passes read and found


def resolve_entities(
    analyses: list[ArticleAnalysis], aliases: AliasRules | None, known: CorpusMemo | None = None
) -> Resolved:
    """The corpus passes over `analyses`, in the graph's order (the passes read it: a name's
    example, ties), and each mention given the id of the entity it joins. `known`: what the
    passes read and found in the last run (resolve/corpus.py)."""
    rules = aliases or AliasRules()
    analyses = sorted(analyses, key=lambda a: (a.article.path, a.article.id))
    corpus = resolve_corpus(analyses, rules, known)
    groups = _groups(corpus.items, corpus.ambiguous)
    return Resolved(analyses, corpus.items, groups, rules.display_names(), corpus.memo)


def graph_of(resolved: Resolved) -> Graph:
    return _graph(resolved, cooccurrence_edges(resolved.analyses, resolved.items))


def graph_with_evidence(resolved: Resolved) -> tuple[Graph, dict[tuple[str, str], LinkEvidence]]:
    """The graph, and each link's evidence, for the store (`cooccurrence_links`)."""
    edges, evidence = cooccurrence_links(resolved.analyses, resolved.items)
    return _graph(resolved, edges), evidence


def _graph(resolved: Resolved, edges: list[Edge]) -> Graph:
    entities = [entity_of(g, resolved.display.get(g.key)) for g in resolved.groups]
    entities.sort(key=lambda e: (e.type, e.name.casefold(), e.id))
    return Graph(
        articles=[a.article for a in resolved.analyses],
        entities=entities,
        edges=edges,
        relations=relations_of(((e.id, e.name, e.type) for e in entities), resolved.groups),
    )


def relations_of(heads: Iterable[tuple[str, str, str]], groups: list[_Group]) -> list[Relation]:
    """The graph's relations, from (id, name, type) of every entity in the graph's order."""
    return sorted(
        _part_of_relations(heads) + _side_relations(groups),
        key=lambda r: (r.source, r.target, r.kind),
    )


def _groups(items: list[Item], ambiguous: set[str]) -> list[_Group]:
    groups: dict[tuple[str, str, str | None], _Group] = {}
    for item in items:
        item.group = _group_of(item)
        side = item.mention.side if item.group == "place" else None
        group = groups.setdefault((item.key, item.group, side), _Group(item.key, item.group, side))
        group.items.append(item)
        group.ambiguous = (
            group.ambiguous
            or item.mention.ambiguous
            or (item.group == "person" and item.key in ambiguous)
        )
    for group in groups.values():
        group.id = entity_id(group.group, group.key, group.side)
        for item in group.items:
            item.entity = group.id
    return list(groups.values())


def _group_of(item: Item) -> EntityType:
    """Mentions of one key that may be one entity: a person never joins a place or company,
    and a company named after a town (`Chicago` the team) stays apart from the town. A country
    is one entity whether an article treats it as a place or an actor."""
    t = item.type
    if t == "organization" and is_country(item.key):
        return "place"
    return t


def entity_of(group: _Group, display_name: str | None) -> Entity:
    votes = _type_votes(group.items)
    entity_type: EntityType = group.group
    mentions = sorted((_mention(i) for i in group.items), key=lambda m: (m["article"], m["start"]))
    labels = Counter(i.mention.label for i in group.items)
    first = group.items[0].mention
    # One validation an entity, its mentions and merges given as dicts (checked in C).
    return Entity.model_validate(
        {
            "id": group.id,
            "name": display_name or _entity_name(group),
            "type": entity_type,
            "label": min(labels, key=lambda label: (-labels[label], label)),
            "aliases": sorted({i.mention.name for i in group.items}),
            "mention_count": len(mentions),
            "article_count": len({m["article"] for m in mentions}),
            "type_votes": dict(sorted(votes.items())),
            "merges": _merges(group.items),
            "ambiguous": group.ambiguous,
            "value": first.value if entity_type == "date" else None,
            "granularity": first.granularity if entity_type == "date" else None,
            "mentions": mentions,
        }
    )


def _entity_name(group: _Group) -> str:
    """The full name the short forms were joined to, else the most used name; a side says
    which sport it plays (`England (cricket team)`); a date, a name that states it."""
    if group.group == "date":
        return _date_name(group)
    # A dateline's capitals are its typography (`PARIS (Reuters) -`), not how the name is
    # written: the name the story writes, where it writes one; else the dateline's in
    # ordinary case (`Kuala Lumpur`), unless every word is as short as an acronym's (`UAE`).
    items = [i for i in group.items if not _in_capitals_in_a_dateline(i)]
    if not items:
        return _in_ordinary_case(preferred_name(i.mention.name for i in group.items))
    full = [i.mention.name for i in items if canonical_key(i.mention.name) == group.key]
    names = full or [i.mention.name for i in items]
    if group.group == "organization":
        # A company goes by its name without the legal form (`Boeing`, not `The Boeing Company`).
        full = [i.mention.name for i in items if company_key(i.mention.name) == group.key]
        names = [company_base(n) for n in full or names]
    name = preferred_name(names)
    return side_name(name, group.side) if group.side else name


def _in_capitals_in_a_dateline(item: Item) -> bool:
    return item.mention.section == "dateline" and item.mention.name.isupper()


_CAPITALISED_WORD = re.compile(r"[A-Z]+")


def _in_ordinary_case(name: str) -> str:
    if all(len(word) <= 3 for word in _CAPITALISED_WORD.findall(name)):
        return name
    return _CAPITALISED_WORD.sub(lambda m: m.group(0).capitalize(), name)


_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_DATE_VALUE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2})|-Q([1-4])|-H([12])|-(SP|SU|FA|WI))?$"
)


def _date_name(group: _Group) -> str:
    """The most used name that states the date's year (`September 2017`); else one written
    from its value, so that `Monday`, `yesterday` or `last week` in one article and another
    are not two nodes of one name (`18 November 2019`, `week 46 of 2019`)."""
    names = [_without_article(i.mention.name) for i in group.items]
    value = group.items[0].mention.value or ""
    match = _DATE_VALUE.match(value)
    if not match:
        return preferred_name(names)
    stating = [n for n in names if match.group(1) in n]
    return preferred_name(stating) if stating else _written_date(match)


_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _without_article(name: str) -> str:
    """A date's name without the article a sentence gives it (`the 1990s` is the `1990s`)."""
    return _LEADING_THE.sub("", name) or name


def _written_date(match: re.Match[str]) -> str:
    year, month, day, week, quarter, half, season = match.groups()
    if day:
        return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    if month:
        return f"{_MONTHS[int(month) - 1]} {year}"
    if week:
        return f"week {int(week)} of {year}"
    if quarter:
        return f"Q{quarter} {year}"
    if half:
        return f"{'first' if half == '1' else 'second'} half of {year}"
    if season:
        return f"{_SEASONS[season]} {year}"
    return year


def _type_votes(items: list[Item]) -> Counter[str]:
    """Votes of each article counted once per name (mentions of a name share their tally)."""
    votes: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for item in items:
        if (item.article, item.mention.key) in seen:
            continue
        seen.add((item.article, item.mention.key))
        votes.update(item.mention.type_votes or {item.mention.type: 1})
    return votes


def _mention(item: Item) -> dict[str, Any]:
    """The fields of the entity's `Mention`."""
    m = item.mention
    return {
        "article": item.article,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "sentence": m.sentence,
        "section": m.section,
        "label": m.label,
        "name": m.name,
        "titles": m.titles,
        "value": m.value,
        "granularity": m.granularity,
        "relative": m.relative,
    }


def _merges(items: list[Item]) -> list[dict[str, str]]:
    """The fields of the entity's `Merge`s."""
    found = {(i.mention.name, i.reason) for i in items if i.reason and i.reason not in NOT_MERGES}
    return [{"alias": alias, "reason": reason} for alias, reason in sorted(found)]


def cooccurrence_edges(
    analyses: list[ArticleAnalysis], items: list[Item], among: set[str] | None = None
) -> list[Edge]:
    """The co-occurrence links of the items' entities; with `among`, only those between two
    of these entities (each as heavy as in the whole graph)."""
    analyses, items = _among(analyses, items, among)
    return edges_from_sentences(_by_sentence(analyses, items))


def cooccurrence_links(
    analyses: list[ArticleAnalysis], items: list[Item], among: set[str] | None = None
) -> tuple[list[Edge], dict[tuple[str, str], LinkEvidence]]:
    """`cooccurrence_edges`, and each link's evidence, which the store keeps for `show`: the
    first sentence naming both (in article id, then text order) and their spans in it."""
    analyses, items = _among(analyses, items, among)
    by_sentence = _by_sentence(analyses, items)
    spans: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
    for item in items:
        where = (item.article, item.mention.sentence)
        if where in by_sentence:
            spans[where].append((item.entity, item.mention.start, item.mention.end))
    first: dict[tuple[str, str], tuple[str, int]] = {}
    edges = _links(by_sentence, first=first)
    evidence = {}
    for edge in edges:
        pair = (edge.source, edge.target)
        article, sentence = where = first[pair]
        marks = sorted((b, e) for entity, b, e in spans[where] if entity in pair)
        evidence[pair] = (article, sentence, marks)
    return edges, evidence


def _among(
    analyses: list[ArticleAnalysis], items: list[Item], among: set[str] | None
) -> tuple[list[ArticleAnalysis], list[Item]]:
    if among is None:
        return analyses, items
    items = [i for i in items if i.entity in among]
    named = {i.article for i in items}
    return [a for a in analyses if a.article.id in named], items


def _by_sentence(
    analyses: list[ArticleAnalysis], items: list[Item]
) -> dict[tuple[str, int], set[str]]:
    """The entities each (article, sentence) of a section that links names."""
    sections = {(a.article.id, x.index): x.section for a in analyses for x in a.sentences}
    by_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    for item in items:
        where = (item.article, item.mention.sentence)
        if sections.get(where) in COOCCURRENCE_SECTIONS:
            by_sentence[where].add(item.entity)
    return by_sentence


def edges_from_sentences(
    by_sentence: dict[tuple[str, int], set[str]], min_weight: int | None = None
) -> list[Edge]:
    """Co-occurrence links from the entities each (article, sentence) names: a pair's weight
    is the sentences naming both, in sorted order; those of weight ≥ `min_weight`."""
    return _links(by_sentence, min_weight)


def _links(
    by_sentence: dict[tuple[str, int], set[str]],
    min_weight: int | None = None,
    first: dict[tuple[str, str], tuple[str, int]] | None = None,
) -> list[Edge]:
    """`edges_from_sentences`; with `first`, it is filled with each pair's first (article,
    sentence) naming both, in article id, then text order."""
    weights: Counter[tuple[str, str]] = Counter()
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for where in sorted(by_sentence) if first is not None else by_sentence:
        for pair in combinations(sorted(by_sentence[where]), 2):
            weights[pair] += 1
            articles[pair].add(where[0])
            if first is not None and pair not in first:
                first[pair] = where
    return _EDGES.validate_python(
        [
            {
                "source": s,
                "target": t,
                "weight": weights[(s, t)],
                "articles": sorted(articles[(s, t)]),
            }
            for s, t in sorted(weights)
            if min_weight is None or weights[(s, t)] >= min_weight
        ]
    )


_EDGES = TypeAdapter(list[Edge])  # a graph's edges checked in one call (in C)


def _side_relations(groups: list[_Group]) -> list[Relation]:
    """`England (cricket team)` is related to `England`, the place it plays for."""
    places = {g.key for g in groups if g.group == "place" and g.side is None}
    return [
        Relation(
            source=entity_id(g.group, g.key, g.side),
            target=entity_id(g.group, g.key),
            kind="related",
            reason="side_of",
        )
        for g in groups
        if g.side and g.key in places
    ]


def _part_of_relations(heads: Iterable[tuple[str, str, str]]) -> list[Relation]:
    """`Binance China` is part of `Binance`: an organisation named after another one. Of two
    organisations whose names have one key, the later in the graph's order counts."""
    orgs = {canonical_key(name): eid for eid, name, kind in heads if kind == "organization"}
    relations = []
    for key, eid in orgs.items():
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            parent = orgs.get(" ".join(words[:n]))
            if parent is not None:
                relations.append(
                    Relation(source=eid, target=parent, kind="part_of", reason="name_prefix")
                )
                break
    return sorted(relations, key=lambda r: (r.source, r.target))
