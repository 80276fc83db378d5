"""Across articles: one entity per canonical name and type, merges audited, links with evidence.

Each article arrives resolved on its own (resolve.py). Here the corpus speaks: a short form one
article joined to its long form joins it everywhere; a bare surname joins the one person in the
corpus who has it (two candidates: kept apart, marked ambiguous); a name's type is the majority
of all its mentions (a person stays apart from a place or organisation of the same name).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from newsents.aliases import AliasRules
from newsents.lexicon import is_country
from newsents.models import (
    COOCCURRENCE_SECTIONS,
    ArticleAnalysis,
    Edge,
    Entity,
    EntityType,
    Graph,
    Mention,
    Merge,
    Reason,
    Relation,
    ResolvedMention,
    Sentence,
)
from newsents.resolve.article import inside_longer_name, is_quoted_title, preferred_name
from newsents.resolve.names import canonical_key
from newsents.resolve.sports import side_name

ID_PREFIX = {"person": "per", "organization": "org", "place": "loc", "date": "date"}
# Reasons that record how a mention was found or typed, not why it joined an entity.
NOT_MERGES = frozenset({"refound", "refound_corpus", "type_from_corpus"})
# Merges one article made that hold wherever else the short form appears alone.
CORPUS_WIDE_REASONS = ("acronym", "acronym_defined", "short_form")


def entity_id(entity_type: str, key: str, side: str | None = None) -> str:
    """Stable id from what the entity is, never from run order: same input, same id."""
    what = f"{entity_type}\x1f{key}" + (f"\x1fside\x1f{side}" if side else "")
    digest = hashlib.sha256(what.encode()).hexdigest()
    return f"{ID_PREFIX[entity_type]}_{digest[:12]}"


@dataclass
class _Item:
    """One mention on its way into an entity."""

    article: str
    mention: ResolvedMention
    key: str
    reason: Reason | None
    type: EntityType = "place"  # the article's type for the name, until the corpus overrules
    group: EntityType = "place"  # the entity type it joins (see _group_of)
    entity: str = ""


@dataclass
class _Group:
    key: str
    group: EntityType
    side: str | None = None  # the sport, when the group is the team named after a place
    items: list[_Item] = field(default_factory=list)
    ambiguous: bool = False


def build_graph(analyses: Iterable[ArticleAnalysis], *, aliases: AliasRules | None = None) -> Graph:
    """The entity graph of some analysed articles, every list in a stable order."""
    analyses = sorted(analyses, key=lambda a: (a.article.path, a.article.id))
    rules = aliases or AliasRules()
    items = _items(analyses, rules)
    _apply_corpus_types(items)
    items += refind_across_corpus(analyses, items)
    _apply_corpus_short_forms(items)
    _apply_plurals(items)
    ambiguous = _apply_corpus_surnames(items)
    rules.apply_merges(items)
    groups = _groups(items, ambiguous)
    display = rules.display_names()
    entities = [_entity(g, display.get(g.key)) for g in groups]
    entities.sort(key=lambda e: (e.type, e.name.casefold(), e.id))
    return Graph(
        articles=[a.article for a in analyses],
        entities=entities,
        edges=_cooccurrence_edges(analyses, items),
        relations=sorted(
            _part_of_relations(entities) + _side_relations(groups),
            key=lambda r: (r.source, r.target, r.kind),
        ),
    )


def _items(analyses: list[ArticleAnalysis], rules: AliasRules) -> list[_Item]:
    items = []
    for analysis in analyses:
        for m in analysis.mentions:
            if rules.ignores(m.name):
                continue
            if m.type == "date" and m.key.startswith("text:"):
                # A date with no calendar value (`last year` with nothing to anchor it,
                # `recent months`) stays a mention of its article, never a node of the graph.
                continue
            key, reason = m.key, m.reason
            if reason and reason != "refound" and rules.splits(m.name):
                key, reason = canonical_key(m.name), "alias_file_split"
            items.append(_Item(analysis.article.id, m, key, reason, m.type))
    return items


def _apply_corpus_types(items: list[_Item]) -> None:
    """A name an article typed on thin evidence takes the type the rest of the corpus gives
    it clearly: `Alexander Lebed` tagged ORG once is the person four other articles name. A
    one-word name the model alone called a person (no title) yields too when twice as many
    articles give it another type (`Yukos` the company)."""
    tallies: dict[str, dict[str, Counter[str]]] = defaultdict(dict)
    for item in items:
        if item.type != "date":
            votes = Counter(item.mention.type_votes or {item.type: 1})
            known = tallies[item.key].get(item.article)
            # The article's tally for the name, not a dateline's lone `place` vote.
            if known is None or votes.total() > known.total():
                tallies[item.key][item.article] = votes
    corpus = {key: sum(by_article.values(), Counter()) for key, by_article in tallies.items()}
    titled = {(i.article, i.key) for i in items if i.mention.titles}
    typed_as: dict[str, Counter[str]] = defaultdict(Counter)  # key → articles per type
    for article_key, entity_type in {(i.article, i.key): i.type for i in items}.items():
        typed_as[article_key[1]][entity_type] += 1
    for item in items:
        if item.type == "date" or len(tallies[item.key]) < 2:
            continue
        total = corpus[item.key]
        winner = max(sorted(total), key=lambda t: total[t])
        if winner == item.type:
            continue
        own = tallies[item.key][item.article]
        others = total - own
        thin = sum(own.values()) <= 2 and others[winner] >= 2 * max(others[item.type], 1)
        lone_word_person = (
            item.type == "person"
            and " " not in item.key
            and (item.article, item.key) not in titled
            and typed_as[item.key][winner] >= 2 * typed_as[item.key]["person"]
        )
        if thin or lone_word_person:
            item.type = winner  # type: ignore[assignment]
            item.reason = item.reason or "type_from_corpus"


def _apply_corpus_short_forms(items: list[_Item]) -> None:
    """`UN` joined to `United Nations` in one article joins it wherever it stands alone."""
    targets: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for item in items:
        if item.reason in CORPUS_WIDE_REASONS:
            targets[canonical_key(item.mention.name)][(item.key, item.type)] += 1
    for item in items:
        found = targets.get(item.key)
        if item.reason is not None or not found:
            continue
        # One long form, or one that the articles choose three times as often as any other
        # (`EU` → `European Union`, not the one article's typo `Europe Union`).
        ranked = found.most_common(2)
        (key, entity_type), n = ranked[0]
        clear = len(ranked) == 1 or n >= 3 * ranked[1][1]
        if clear and entity_type == item.type:  # `Downing Street` the place is not No 10's office
            item.key, item.reason = key, "short_form_corpus"


def _apply_plurals(items: list[_Item]) -> None:
    """`Conservatives` and `Conservative`: an organisation or place named in the plural and
    the singular is one entity, named by the form used more often."""
    used = Counter((item.key, item.type) for item in items)
    for item in items:
        if item.type not in ("organization", "place") or len(item.key.rsplit(" ", 1)[-1]) <= 3:
            continue
        other = item.key[:-1] if item.key.endswith("s") else item.key + "s"
        # The form used more often names the entity (`General Motors`, not a stray `Motor`).
        if used[(other, item.type)] > used[(item.key, item.type)] or (
            used[(other, item.type)] == used[(item.key, item.type)] and other < item.key
        ):
            item.key, item.reason = other, item.reason or "plural"


def _apply_corpus_surnames(items: list[_Item]) -> set[str]:
    """A lone surname joins the one person of the corpus who has it; several: ambiguous."""
    people: dict[str, set[str]] = defaultdict(set)
    for item in items:
        words = item.key.split()
        if item.type == "person" and len(words) >= 2:
            people[words[-1]].add(item.key)
    _join_mistyped_surnames(items, people)
    ambiguous = set()
    for item in items:
        if item.type != "person" or item.reason or " " in item.key:
            continue
        candidates = people.get(item.key, set())
        if len(candidates) == 1:
            (item.key,) = candidates
            item.reason = "surname_corpus"
        elif len(candidates) > 1:
            ambiguous.add(item.key)
    return ambiguous


def _join_mistyped_surnames(items: list[_Item], people: dict[str, set[str]]) -> None:
    """`Lebed` tagged a place once, in an article about `Alexander Lebed` (whom the corpus
    knows as a person): on such thin evidence the lone word is his surname, not a place."""
    people_in: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.type == "person" and " " in item.key:
            people_in[item.article].add(item.key)
    for item in items:
        if item.type not in ("organization", "place") or " " in item.key:
            continue
        thin = sum(item.mention.type_votes.values()) <= 2
        if item.reason not in (None, *NOT_MERGES) or is_country(item.key) or not thin:
            continue
        candidates = people.get(item.key, set()) & people_in[item.article]
        if len(candidates) == 1:
            (item.key,) = candidates
            item.type, item.reason = "person", "surname"


def _groups(items: list[_Item], ambiguous: set[str]) -> list[_Group]:
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
    return list(groups.values())


def _group_of(item: _Item) -> EntityType:
    """Mentions of one key that may be one entity: a person never joins a place or company,
    and a company named after a town (`Chicago` the team) stays apart from the town. A country
    is one entity whether an article treats it as a place or an actor."""
    t = item.type
    if t == "organization" and is_country(item.key):
        return "place"
    return t


def _entity(group: _Group, display_name: str | None) -> Entity:
    votes = _type_votes(group.items)
    entity_type: EntityType = group.group
    eid = entity_id(entity_type, group.key, group.side)
    for item in group.items:
        item.entity = eid
    mentions = sorted((_mention(i) for i in group.items), key=lambda m: (m.article, m.start))
    labels = Counter(i.mention.label for i in group.items)
    first = group.items[0].mention
    return Entity(
        id=eid,
        name=display_name or _entity_name(group),
        type=entity_type,
        label=min(labels, key=lambda label: (-labels[label], label)),
        aliases=sorted({i.mention.name for i in group.items}),
        mention_count=len(mentions),
        article_count=len({m.article for m in mentions}),
        type_votes=dict(sorted(votes.items())),
        merges=_merges(group.items),
        ambiguous=group.ambiguous,
        value=first.value if entity_type == "date" else None,
        granularity=first.granularity if entity_type == "date" else None,
        mentions=mentions,
    )


def _entity_name(group: _Group) -> str:
    """The full name the short forms were joined to, else the most used name; a side says
    which sport it plays (`England (cricket team)`)."""
    full = [i.mention.name for i in group.items if canonical_key(i.mention.name) == group.key]
    name = preferred_name(full or [i.mention.name for i in group.items])
    return side_name(name, group.side) if group.side else name


def _type_votes(items: list[_Item]) -> Counter[str]:
    """Votes of each article counted once per name (mentions of a name share their tally)."""
    votes: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for item in items:
        if (item.article, item.mention.key) in seen:
            continue
        seen.add((item.article, item.mention.key))
        votes.update(item.mention.type_votes or {item.mention.type: 1})
    return votes


def _mention(item: _Item) -> Mention:
    m = item.mention
    return Mention(
        article=item.article,
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


def _merges(items: list[_Item]) -> list[Merge]:
    found = {(i.mention.name, i.reason) for i in items if i.reason and i.reason not in NOT_MERGES}
    return [Merge(alias=alias, reason=reason) for alias, reason in sorted(found)]


def _cooccurrence_edges(analyses: list[ArticleAnalysis], items: list[_Item]) -> list[Edge]:
    sections = {(a.article.id, x.index): x.section for a in analyses for x in a.sentences}
    by_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    for item in items:
        where = (item.article, item.mention.sentence)
        if sections.get(where) in COOCCURRENCE_SECTIONS:
            by_sentence[where].add(item.entity)
    weights: Counter[tuple[str, str]] = Counter()
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (article, _), ids in by_sentence.items():
        for pair in combinations(sorted(ids), 2):
            weights[pair] += 1
            articles[pair].add(article)
    return [
        Edge(source=s, target=t, weight=weights[(s, t)], articles=sorted(articles[(s, t)]))
        for s, t in sorted(weights)
    ]


def refind_across_corpus(analyses: list[ArticleAnalysis], items: list[_Item]) -> list[_Item]:
    """Names the model recognised in other articles, where it missed them in this one.

    Only names that are clearly names: seen at least twice with one meaning, capitalised,
    more than one word for a person (a bare given name could be anyone).
    """
    gazetteer = _gazetteer(items)
    by_first_word: dict[str, list[str]] = defaultdict(list)
    for name in sorted(gazetteer, key=lambda n: -len(n)):
        by_first_word[name.split()[0]].append(name)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in items:
        taken[item.article].append((item.mention.start, item.mention.end))
    found = []
    for analysis in analyses:
        found += _refind_in_article(analysis, gazetteer, by_first_word, taken[analysis.article.id])
    return found


def _gazetteer(items: list[_Item]) -> dict[str, _Item]:
    """Clean name → a mention that shows what it means, for names safe to look for."""
    meanings: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    example: dict[tuple[str, str, str], _Item] = {}
    for item in items:
        name = item.mention.name
        if item.type == "date" or not _safe_to_refind(name, item.type):
            continue
        meanings[name][(item.key, item.type)] += 1
        example.setdefault((name, item.key, item.type), item)
    gazetteer = {}
    for name, counts in meanings.items():
        (key, entity_type), n = counts.most_common(1)[0]
        if n >= 2 and n * 3 >= 2 * sum(counts.values()):
            gazetteer[name] = example[(name, key, entity_type)]
    return gazetteer


def _safe_to_refind(name: str, entity_type: str) -> bool:
    words = name.split()
    if len(name) < 3 or not name[0].isupper():
        return False
    if name.isupper() and len(words) > 1:
        return False  # a run of capitals is a headline more often than a name
    return entity_type != "person" or len(words) >= 2


_TOKEN = re.compile(r"[\w][\w'’.&-]*")


def _refind_in_article(
    analysis: ArticleAnalysis,
    gazetteer: dict[str, _Item],
    by_first_word: dict[str, list[str]],
    taken: list[tuple[int, int]],
) -> list[_Item]:
    text, found = analysis.text, []
    for sentence in analysis.sentences:
        if sentence.section not in ("title", "body", "caption"):
            continue
        for token in _TOKEN.finditer(text, sentence.start, sentence.end):
            for name in by_first_word.get(token.group(0).rstrip(".,"), ()):
                start, end = token.start(), token.start() + len(name)
                if text[start:end] != name or end > sentence.end:
                    continue
                if end < len(text) and (text[end].isalnum() or text[end] in "&"):
                    continue
                if any(s < end and start < e for s, e in taken):
                    continue
                if inside_longer_name(text, start, end, sentence.start):
                    continue
                if gazetteer[name].type == "person" and is_quoted_title(name, text, start, end):
                    continue
                taken.append((start, end))
                found.append(_refound_item(analysis, gazetteer[name], start, end, sentence))
                break
    return found


def _refound_item(
    analysis: ArticleAnalysis, model: _Item, start: int, end: int, sentence: Sentence
) -> _Item:
    m = model.mention
    mention = m.model_copy(
        update={
            "start": start,
            "end": end,
            "text": analysis.text[start:end],
            "section": sentence.section,
            "sentence": sentence.index,
            "titles": [],
            "reason": "refound_corpus",
            "type_votes": {},
        }
    )
    return _Item(analysis.article.id, mention, model.key, "refound_corpus", model.type)


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


def _part_of_relations(entities: list[Entity]) -> list[Relation]:
    """`Binance China` is part of `Binance`: an organisation named after another one."""
    orgs = {canonical_key(e.name): e for e in entities if e.type == "organization"}
    relations = []
    for key, entity in orgs.items():
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            parent = orgs.get(" ".join(words[:n]))
            if parent is not None:
                relations.append(
                    Relation(
                        source=entity.id, target=parent.id, kind="part_of", reason="name_prefix"
                    )
                )
                break
    return sorted(relations, key=lambda r: (r.source, r.target))
