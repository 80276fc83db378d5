"""Across the corpus: what the articles resolved on their own, joined by what the whole corpus
shows. Declared passes over every mention of every article (CORPUS_PASSES, in order): a name's
type is what the corpus says where one article had thin evidence; names the model found
elsewhere are found where it missed them; a short form one article joined to its long form
joins it everywhere; plurals join singulars; a lone surname joins the one person of the corpus
who has it; the user's alias file has the last word. graph.py builds entities from the result.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from newsents.aliases import AliasRules
from newsents.lexicon import is_country
from newsents.models import ArticleAnalysis, EntityType, Reason, ResolvedMention, Sentence
from newsents.resolve.article import inside_longer_name, is_quoted_title
from newsents.resolve.names import canonical_key

# Reasons that record how a mention was found or typed, not why it joined an entity.
NOT_MERGES = frozenset({"refound", "refound_corpus", "type_from_corpus"})


# Merges one article made that hold wherever else the short form appears alone.
CORPUS_WIDE_REASONS = ("acronym", "acronym_defined", "short_form")


@dataclass
class Item:
    """One mention on its way into an entity."""

    article: str
    mention: ResolvedMention
    key: str
    reason: Reason | None
    type: EntityType = "place"  # the article's type for the name, until the corpus overrules
    group: EntityType = "place"  # the entity type it joins (see _group_of)
    entity: str = ""


def _items(analyses: list[ArticleAnalysis], rules: AliasRules) -> list[Item]:
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
            items.append(Item(analysis.article.id, m, key, reason, m.type))
    return items


def _apply_corpus_types(items: list[Item]) -> None:
    """A name an article typed on thin evidence takes the type the rest of the corpus gives
    it clearly: `Istvan Varga` tagged ORG once is the person four other articles name. A
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


def _apply_corpus_short_forms(items: list[Item]) -> None:
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


def _apply_plurals(items: list[Item]) -> None:
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


def _apply_corpus_surnames(items: list[Item]) -> set[str]:
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


def _join_mistyped_surnames(items: list[Item], people: dict[str, set[str]]) -> None:
    """`Varga` tagged a place once, in an article about `Istvan Varga` (whom the corpus
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


def refind_across_corpus(analyses: list[ArticleAnalysis], items: list[Item]) -> list[Item]:
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


def _gazetteer(items: list[Item]) -> dict[str, Item]:
    """Clean name → a mention that shows what it means, for names safe to look for."""
    meanings: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    example: dict[tuple[str, str, str], Item] = {}
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
    gazetteer: dict[str, Item],
    by_first_word: dict[str, list[str]],
    taken: list[tuple[int, int]],
) -> list[Item]:
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
    analysis: ArticleAnalysis, model: Item, start: int, end: int, sentence: Sentence
) -> Item:
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
    return Item(analysis.article.id, mention, model.key, "refound_corpus", model.type)


@dataclass
class CorpusState:
    """The corpus while its passes run: every mention on its way into an entity."""

    analyses: list[ArticleAnalysis]
    rules: AliasRules
    items: list[Item] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)  # surnames several people share


def type_by_corpus(state: CorpusState) -> None:
    """Reads every article's type votes for each name. Gives a mention typed on thin evidence
    the type the rest of the corpus gives the name clearly (reason `type_from_corpus`)."""
    _apply_corpus_types(state.items)


def find_missed_across_corpus(state: CorpusState) -> None:
    """Reads the names the model found at least twice with one meaning. Adds them where the
    model missed them in other articles (reason `refound_corpus`)."""
    state.items += refind_across_corpus(state.analyses, state.items)


def join_short_forms_across_corpus(state: CorpusState) -> None:
    """Reads the short forms articles joined to a long form (`UN` → `United Nations`). Joins
    the same short form standing alone elsewhere to that long form (`short_form_corpus`)."""
    _apply_corpus_short_forms(state.items)


def join_plurals(state: CorpusState) -> None:
    """Reads organisation and place names in the singular and plural. Joins them under the
    form used more often (reason `plural`)."""
    _apply_plurals(state.items)


def join_surnames_across_corpus(state: CorpusState) -> None:
    """Reads every person's full name. Joins a lone surname to the one person of the corpus who
    has it (`surname_corpus`); several: the surname is ambiguous and stays apart."""
    state.ambiguous |= _apply_corpus_surnames(state.items)


def apply_alias_file(state: CorpusState) -> None:
    """Reads the user's alias file. Merges what it says to merge (reason `alias_file`)."""
    state.rules.apply_merges(state.items)


# The passes over the corpus's mentions, in order. A new rule is a function of CorpusState with
# a docstring saying what it reads, what it changes and the reason it records.
CORPUS_PASSES: tuple[Callable[[CorpusState], None], ...] = (
    type_by_corpus,
    find_missed_across_corpus,
    join_short_forms_across_corpus,
    join_plurals,
    join_surnames_across_corpus,
    apply_alias_file,
)


def resolve_corpus(analyses: list[ArticleAnalysis], rules: AliasRules) -> CorpusState:
    """Every mention of the analyses (but what the alias file ignores and dates with no
    calendar value), keyed and typed by the corpus passes."""
    state = CorpusState(analyses=analyses, rules=rules, items=_items(analyses, rules))
    for run in CORPUS_PASSES:
        run(state)
    return state
