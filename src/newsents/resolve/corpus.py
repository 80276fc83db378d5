"""Across the corpus: what the articles resolved on their own, joined by what the whole corpus
shows. Declared passes over every mention of every article (CORPUS_PASSES, in order): a name's
type is what the corpus says where one article had thin evidence; names the model found
elsewhere are found where it missed them; a short form one article joined to its long form
joins it everywhere; plurals join singulars; a lone surname joins the one person of the corpus
who has it; the user's alias file has the last word. graph.py builds entities from the result.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newsents.aliases import AliasRules
from newsents.lexicon import is_country, is_event_name, is_not_a_name
from newsents.models import (
    PROSE_SECTIONS,
    ArticleAnalysis,
    EntityType,
    Reason,
    ResolvedMention,
    Sentence,
)
from newsents.resolve.article import common_noun_acronyms, inside_longer_name, is_quoted_title
from newsents.resolve.intervals import Taken
from newsents.resolve.names import canonical_key, company_base

# Reasons that record how a mention was found or typed, not why it joined an entity.
NOT_MERGES = frozenset({"refound", "refound_corpus", "type_from_corpus", "alias_file_type"})


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
            if reason != "refound" and _split_here(rules, m, analysis):
                key, reason = canonical_key(m.name), "alias_file_split"
            items.append(Item(analysis.article.id, m, key, reason, m.type))
    return items


def _split_here(rules: AliasRules, m: ResolvedMention, analysis: ArticleAnalysis) -> bool:
    if not rules.split or not rules.may_split(m.name):
        return False
    sentences = analysis.sentences
    sentence = sentences[m.sentence] if m.sentence < len(sentences) else None
    text = analysis.text[sentence.start : sentence.end] if sentence else ""
    return rules.splits(m.name, analysis.article.id, analysis.article.path, text)


def _apply_corpus_types(items: list[Item]) -> None:
    """A name an article typed on thin evidence takes the type the rest of the corpus gives
    it clearly: `Istvan Varga` tagged ORG once is the person four other articles name. A
    one-word name the model alone called a person (no title) yields too when twice as many
    articles give it another type (`Yukos` the company)."""
    tallies: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for item in items:
        if item.type != "date":
            votes = item.mention.type_votes or {item.type: 1}
            known = tallies[item.key].get(item.article)
            # The article's tally for the name, not a dateline's lone `place` vote.
            if known is None or sum(votes.values()) > sum(known.values()):
                tallies[item.key][item.article] = votes
    titled = {(i.article, i.key) for i in items if i.mention.titles}
    typed_as: dict[str, Counter[str]] = defaultdict(Counter)  # key → articles per type
    for article_key, entity_type in {(i.article, i.key): i.type for i in items}.items():
        typed_as[article_key[1]][entity_type] += 1
    # The corpus's tally of a name, its winning type, and the tally of all but one article:
    # worked out once a name and once an article (items repeat both).
    winners: dict[str, tuple[Counter[str], str]] = {}
    others_of: dict[tuple[str, str], Counter[str]] = {}
    for item in items:
        if item.type == "date" or len(tallies[item.key]) < 2:
            continue
        if item.key not in winners:
            total: Counter[str] = Counter()
            for votes in tallies[item.key].values():
                total.update(votes)
            total = +total  # positive tallies only
            winners[item.key] = total, max(sorted(total), key=lambda t: total[t])
        total, winner = winners[item.key]
        if winner == item.type:
            continue
        own = tallies[item.key][item.article]
        others = others_of.get((item.key, item.article))
        if others is None:
            others = others_of[(item.key, item.article)] = total - Counter(own)
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
    named_in_full = _articles_by_own_name(items)
    standing_alone = _articles_by_own_name(i for i in items if i.reason is None)
    # Articles join a name's first words to it for a company named with its legal form
    # (`Dominion` after `Dominion Textile Inc`) and for a club named after its city
    # (`CHICAGO` in standings after the `Chicago White Sox`). Only the company may be a part
    # of the company its first words name (`Amazon Music Ltd`); a side stays its city's name
    # in every standings table, as does a place's name that heads a longer one.
    places = {canonical_key(i.mention.name) for i in items if i.type == "place"}
    incorporated = {
        i.key
        for i in items
        if i.type == "organization" and company_base(i.mention.name) != i.mention.name
    }
    for item in items:
        own = canonical_key(item.mention.name)
        if (
            item.reason == "short_form"
            and own in targets
            and _a_name_of_its_own(own, targets[own], named_in_full, standing_alone)
        ):
            item.key, item.reason = own, None  # the article's join undone
    for item in items:
        found = targets.get(item.key)
        if item.reason is not None or not found:
            continue
        (long_key, _), _ = found.most_common(1)[0]
        heads = item.key not in places and long_key in incorporated
        if _a_name_of_its_own(item.key, found, named_in_full, standing_alone, first_words=heads):
            continue
        # One long form, or one that the articles choose three times as often as any other
        # (`EU` → `European Union`, not the one article's typo `Europe Union`).
        ranked = found.most_common(2)
        (key, entity_type), n = ranked[0]
        clear = len(ranked) == 1 or n >= 3 * ranked[1][1]
        if clear and entity_type == item.type:  # `Downing Street` the place is not No 10's office
            item.key, item.reason = key, "short_form_corpus"


def _articles_by_own_name(items: Iterable[Item]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for item in items:
        found[canonical_key(item.mention.name)].add(item.article)
    return found


def _a_name_of_its_own(
    short: str,
    found: Counter[tuple[str, str]],
    named_in_full: dict[str, set[str]],
    standing_alone: dict[str, set[str]],
    *,
    first_words: bool = False,
) -> bool:
    """The last words of a long name, standing alone in many more articles than name the long
    form in full, are a name in their own right: `Liverpool` the club, not the one article's
    glued `BBC Liverpool`. With `first_words`, its first words too, for articles other than
    the one that joined them (which knows what it meant: `Baikal` after `Baikal Finance
    Group`): `Amazon` the company elsewhere, not the `Amazon Music Ltd` one article names.
    (Acronyms are always short forms.)"""
    (long_key, _), _ = found.most_common(1)[0]
    last = long_key.endswith(" " + short)
    if not (last or (first_words and long_key.startswith(short + " "))):
        return False
    alone = standing_alone.get(short, set()) - named_in_full.get(long_key, set())
    return len(alone) > 2 * len(named_in_full.get(long_key, set()))


def _apply_plurals(items: list[Item]) -> None:
    """`Conservatives` and `Conservative`: an organisation or place named in the plural and
    the singular is one entity, named by the form used more often."""
    used = Counter((item.key, item.type) for item in items)
    for item in items:
        if item.type not in ("organization", "place") or len(item.key.rsplit(" ", 1)[-1]) <= 3:
            continue
        other = _other_number(item.key)
        # The form used more often names the entity (`General Motors`, not a stray `Motor`).
        if used[(other, item.type)] > used[(item.key, item.type)] or (
            used[(other, item.type)] == used[(item.key, item.type)] and other < item.key
        ):
            item.key, item.reason = other, item.reason or "plural"


def _other_number(key: str) -> str:
    """The plural of a singular, the singular of a plural: `conservative(s)`, `tory`/`tories`."""
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("s"):
        return key[:-1]
    if key.endswith("y") and key[-2:-1] not in "aeiou":
        return key[:-1] + "ies"
    return key + "s"


def _apply_corpus_surnames(items: list[Item]) -> set[str]:
    """A lone surname joins the one person of the corpus who has it; several: ambiguous."""
    people: dict[str, set[str]] = defaultdict(set)
    for item in items:
        words = item.key.split()
        if item.type == "person" and len(words) >= 2:
            people[words[-1]].add(item.key)
    _join_mistyped_surnames(items, people)
    articles_of: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.type == "person":
            articles_of[item.key].add(item.article)
    ambiguous = set()
    for item in items:
        if item.type != "person" or item.reason or " " in item.key:
            continue
        candidates = people.get(item.key, set())
        known = _the_one_known(candidates, articles_of) if len(candidates) > 1 else None
        if len(candidates) == 1 or known:
            item.key = known or next(iter(candidates))
            item.reason = "surname_corpus"
        elif len(candidates) > 1:
            ambiguous.add(item.key)
    return ambiguous


# A surname several people of the corpus share still names one of them when that one is
# named in this many times as many articles as all the others together (`Yeltsin` in a
# corpus of Boris Yeltsin's stories that once names Naina Yeltsin), and in at least as many.
DOMINANT_NAME_RATIO = 3
DOMINANT_NAME_ARTICLES = 3


def _the_one_known(candidates: set[str], articles_of: dict[str, set[str]]) -> str | None:
    ranked = sorted(candidates, key=lambda k: (-len(articles_of[k]), k))
    first = len(articles_of[ranked[0]])
    others = sum(len(articles_of[k]) for k in ranked[1:])
    if first >= DOMINANT_NAME_ARTICLES and first >= DOMINANT_NAME_RATIO * others:
        return ranked[0]
    return None


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


def refind_across_corpus(state: CorpusState) -> list[Item]:
    """Names the model recognised in other articles, where it missed them in this one.

    Only names that are clearly names: seen at least twice with one meaning, capitalised,
    more than one word for a person (a bare given name could be anyone). With the last run's
    memo (`state.known`), an article whose text and taken spans are those of the last run,
    and in which no name that came into the gazetteer, left it or changed meaning since can
    stand, takes what was found there then: nothing else refinding reads can change what it
    finds. This run's goes to `state.memo`.
    """
    analyses, items, known, memo = state.analyses, state.items, state.known, state.memo
    gazetteer = _gazetteer(items)
    by_first_word = _by_first_word_and_length(gazetteer)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in items:
        spans[item.article].append((item.mention.start, item.mention.end))
    for analysis in analyses:
        # Dates with no calendar value are no items, but their words are taken all the same.
        spans[analysis.article.id] += [(m.start, m.end) for m in analysis.mentions]
    memo.names = {name: _meaning(example) for name, example in gazetteer.items()}
    changed: dict[str, list[str]] = defaultdict(list)  # first word → names
    for name in memo.names.keys() | known.names.keys():
        if memo.names.get(name) != known.names.get(name):
            changed[name.split()[0]].append(name)
    found = []
    for analysis in analyses:
        article_id = analysis.article.id
        last = known.refind.get(article_id)
        read = _read_digest(state.texts[article_id], spans.get(article_id, []))
        if last is not None and last.read == read and not _may_stand(analysis, last, changed):
            words = last.words
            refound = [  # a sentence's index is its place in the article (nlp.py)
                _refound_item(analysis, gazetteer[name], start, end, analysis.sentences[index])
                for name, start, end, index in last.found
            ]
        else:
            taken, seen = Taken(spans.get(article_id, [])), set[str]()
            refound = _refind_in_article(analysis, gazetteer, by_first_word, taken, seen)
            words = frozenset(w for w in seen if w[:1].isupper())
        found_there = [(i.mention.name, i.mention.start, i.mention.end, i.mention.sentence)
                       for i in refound]  # fmt: skip
        memo.refind[article_id] = RefindEntry(read, words, found_there)
        found += refound
    return found


def _may_stand(
    analysis: ArticleAnalysis, known: RefindEntry, changed: dict[str, list[str]]
) -> bool:
    """Whether a name of `changed` may be found in the article: its first word starts a token
    there and the name is in its text."""
    return any(
        name in analysis.text for word in known.words & changed.keys() for name in changed[word]
    )


@dataclass
class RefindEntry:
    """What refinding read of an article and what it found: `read` is a digest of the
    article's text, sentences and the spans already taken, `words` the capitalised words
    that may start a name there (as `_first_words_of_names` reads a sentence's tokens),
    `found` (name, start, end, sentence) of each name refound."""

    read: str
    words: frozenset[str]
    found: list[tuple[str, int, int, int]] = field(default_factory=list)


def _read_digest(text: str, spans: list[tuple[int, int]]) -> str:
    return hashlib.blake2b(f"{text}{sorted(spans)!r}".encode(), digest_size=16).hexdigest()


@dataclass
class WordCounts:
    """How the corpus writes its words in bodies and captions: each lower-case word's uses
    (`lower`), and each other word's uses inside a sentence, not as its first word, by its
    case-folded form (`capital_inside`). `texts`: the articles counted, each with its
    `text_digest`."""

    texts: dict[str, str] = field(default_factory=dict)
    lower: Counter[str] = field(default_factory=Counter)
    capital_inside: Counter[str] = field(default_factory=Counter)


@dataclass
class CorpusMemo:
    """What the corpus passes read and found, kept with the graph so that the next run reuses
    what still holds: refinding by article (`refind`) and the gazetteer it used (`names`:
    name → what it meant), and the corpus's word counts (`words`)."""

    refind: dict[str, RefindEntry] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    words: WordCounts = field(default_factory=WordCounts)


def _meaning(example: Item) -> str:
    """What refinding gives a refound mention of the name: the key, the type and what the
    mention takes of the gazetteer's example."""
    kept = [v for k, v in example.mention.__dict__.items() if k not in _REFOUND_ANEW]
    return repr((example.key, example.type, *kept))


def text_digest(analysis: ArticleAnalysis) -> str:
    """A digest of the article's text and sentences: what the memo of a pass reads of it."""
    sentences = [(s.start, s.end, s.section, s.index) for s in analysis.sentences]
    what = f"{analysis.text}\x1f{sentences!r}"
    return hashlib.blake2b(what.encode(), digest_size=16).hexdigest()


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


@lru_cache(maxsize=65536)
def _safe_to_refind(name: str, entity_type: str) -> bool:
    words = name.split()
    if len(name) < 3 or not name[0].isupper():
        return False
    if name.isupper() and len(words) > 1:
        return False  # a run of capitals is a headline more often than a name
    return entity_type != "person" or len(words) >= 2


_TOKEN = re.compile(r"[\w][\w'’.&-]*")


_NamesByLength = list[tuple[int, frozenset[str]]]


def _by_first_word_and_length(names: Iterable[str]) -> dict[str, _NamesByLength]:
    """The names by their first word, then by length, longest first: at a place in a text,
    one name of each length can stand, the one its slice of that length spells."""
    grouped: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name in names:
        grouped[name.split()[0]][len(name)].add(name)
    return {
        word: [(length, frozenset(by_length[length])) for length in sorted(by_length, reverse=True)]
        for word, by_length in grouped.items()
    }


def _refind_in_article(
    analysis: ArticleAnalysis,
    gazetteer: dict[str, Item],
    by_first_word: dict[str, _NamesByLength],
    taken: Taken,
    seen: set[str] | None = None,
) -> list[Item]:
    """The gazetteer's names found where nothing is taken; `seen` gathers every word that
    may start a name in the article (what the memo of refinding keeps)."""
    text, found = analysis.text, []
    # An acronym the article spells out in lower case names nothing there (article.py).
    not_names = common_noun_acronyms(text) if "(" in text else set()
    for sentence in analysis.sentences:
        # A photo credit is no prose, but what it names is named (`Pool via REUTERS`).
        if sentence.section not in PROSE_SECTIONS and sentence.section != "credit":
            continue
        for start, first_word in _first_words_of_names(text, sentence, by_first_word, seen):
            for length, names in by_first_word[first_word]:
                end = start + length
                name = text[start:end]
                if name not in names or end > sentence.end:
                    continue
                if end < len(text) and (text[end].isalnum() or text[end] in "&"):
                    continue
                if taken.overlaps(start, end):
                    continue
                if inside_longer_name(text, start, end, sentence.start):
                    continue
                if " " not in name and _OPENING.match(text[sentence.start : start]):
                    continue  # the capital of a sentence's first word says nothing of a name
                if gazetteer[name].type == "person" and is_quoted_title(name, text, start, end):
                    continue
                if not_names and canonical_key(name) in not_names:
                    continue
                taken.add(start, end)
                found.append(_refound_item(analysis, gazetteer[name], start, end, sentence))
                break
    return found


def _first_words_of_names(
    text: str,
    sentence: Sentence,
    by_first_word: Mapping[str, object],
    seen: set[str] | None = None,
) -> list[tuple[int, str]]:
    """(offset, word) of each token of the sentence that, less its final full stops, is a
    name's first word, in order. Most tokens are none: the sentence's words are matched
    against the names in C, and only those found are looked for (`str.find`), each kept
    where it starts a token as `_TOKEN` reads the sentence."""
    tokens = _TOKEN.findall(text, sentence.start, sentence.end)
    stripped = _FINAL_STOPS.sub("", " ".join(tokens)).split(" ")
    if seen is not None:
        seen.update(stripped)
    hits = by_first_word.keys() & set(stripped)
    if not hits:
        return []
    starts = []
    for word in hits:
        at = text.find(word, sentence.start, sentence.end)
        while at != -1:
            if _starts_a_token(text, at, sentence.start):
                token = _TOKEN.match(text, at, sentence.end)
                if token and token.group(0).rstrip(".,") == word:
                    starts.append((at, word))
            at = text.find(word, at + 1, sentence.end)
    return sorted(starts)


def _starts_a_token(text: str, at: int, floor: int) -> bool:
    """Whether `_TOKEN`, scanning from `floor`, begins a token at `at` (a word character
    there): not when the run of token characters before it holds a word character."""
    if not _WORD_CHAR.match(text, at):
        return False
    before = at - 1
    while before >= floor and text[before] in _INNER_TOKEN_MARKS:
        before -= 1
    return before < floor or not _WORD_CHAR.match(text, before)


_WORD_CHAR = re.compile(r"\w")
_INNER_TOKEN_MARKS = "'’.&-"  # what a token holds besides word characters (see _TOKEN)


_FINAL_STOPS = re.compile(r"\.+(?= |$)")


def _refound_item(
    analysis: ArticleAnalysis, model: Item, start: int, end: int, sentence: Sentence
) -> Item:
    mention = model.mention.model_copy(update=_anew(analysis, start, end, sentence))
    return Item(analysis.article.id, mention, model.key, "refound_corpus", model.type)


def _anew(analysis: ArticleAnalysis, start: int, end: int, sentence: Sentence) -> dict[str, Any]:
    """What a refound mention does not take from the gazetteer's example."""
    return {
        "start": start,
        "end": end,
        "text": analysis.text[start:end],
        "section": sentence.section,
        "sentence": sentence.index,
        "titles": [],
        "reason": "refound_corpus",
        "type_votes": {},
    }


# The fields `_anew` sets (what the memo of refinding need not read of an example).
_REFOUND_ANEW = frozenset(
    {"start", "end", "text", "section", "sentence", "titles", "reason", "type_votes"}
)


@dataclass
class CorpusState:
    """The corpus while its passes run: every mention on its way into an entity."""

    analyses: list[ArticleAnalysis]
    rules: AliasRules
    items: list[Item] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)  # surnames several people share
    known: CorpusMemo = field(default_factory=CorpusMemo)  # the last run's, where it holds
    memo: CorpusMemo = field(default_factory=CorpusMemo)  # this run's
    texts: dict[str, str] = field(default_factory=dict)  # article → text_digest


def cut_words_capitalised_by_position(state: CorpusState) -> None:
    """Reads how the corpus writes each word. A name the model took with the first word of a
    sentence or headline (`Strong Oscar contenders`, `Injured Chelsea striker`, `New UKIP
    defection`) loses that word when the corpus writes it in lower case elsewhere, never puts
    the whole name anywhere but at a sentence's start, and names the rest on its own; a
    one-word "name" that is such a word (`People who...`) and is never capitalised inside a
    sentence is no name. Records no reason: the name is what the text names."""
    state.items = _without_position_capitals(state)


def type_by_corpus(state: CorpusState) -> None:
    """Reads every article's type votes for each name. Gives a mention typed on thin evidence
    the type the rest of the corpus gives the name clearly (reason `type_from_corpus`)."""
    _apply_corpus_types(state.items)


def find_missed_across_corpus(state: CorpusState) -> None:
    """Reads the names the model found at least twice with one meaning. Adds them where the
    model missed them in other articles (reason `refound_corpus`)."""
    state.items += refind_across_corpus(state)


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
    """Reads the user's alias file. Merges what it says to merge (reason `alias_file`), keeps
    apart what it splits (where the split says: `alias_file_split`), then gives the type it
    says to every mention of that entity (reason `alias_file_type` where it had none)."""
    state.rules.apply_merges(state.items)
    if state.rules.split:
        # A split holds whatever a pass did since (a plural, a refound name): it is last.
        by_id = {a.article.id: a for a in state.analyses}
        for item in state.items:
            own = canonical_key(item.mention.name)
            if item.key != own and _split_here(state.rules, item.mention, by_id[item.article]):
                item.key, item.reason = own, "alias_file_split"
    types = state.rules.types()
    if not types:
        return
    for item in state.items:
        wanted = types.get(item.key) or types.get(canonical_key(item.mention.name))
        if wanted and item.type != "date" and wanted != item.type:
            item.type = wanted  # type: ignore[assignment]
            item.reason = item.reason or "alias_file_type"


# The passes over the corpus's mentions, in order. A new rule is a function of CorpusState with
# a docstring saying what it reads, what it changes and the reason it records.
CORPUS_PASSES: tuple[Callable[[CorpusState], None], ...] = (
    cut_words_capitalised_by_position,
    type_by_corpus,
    find_missed_across_corpus,
    join_short_forms_across_corpus,
    join_plurals,
    join_surnames_across_corpus,
    apply_alias_file,
)


def resolve_corpus(
    analyses: list[ArticleAnalysis], rules: AliasRules, known: CorpusMemo | None = None
) -> CorpusState:
    """Every mention of the analyses (but what the alias file ignores and dates with no
    calendar value), keyed and typed by the corpus passes. `known`: what the passes read and
    found in the last run (its `memo` holds this run's)."""
    state = CorpusState(analyses=analyses, rules=rules, items=_items(analyses, rules))
    state.texts = {a.article.id: text_digest(a) for a in analyses}
    if known is not None:
        state.known = known
    for run in CORPUS_PASSES:
        run(state)
    return state


# -- capitals that only a sentence's start explains ------------------------------------------

_WORD = re.compile(r"[A-Za-z][a-z'’-]*")
_OPENING = re.compile(r"^[\s\"'“‘(\[-]*$")


# A word written in lower case this many times as often as it is capitalised inside a sentence
# is an ordinary word (`people`, despite `People's Daily`); a name is capitalised mostly.
ORDINARY_WORD_RATIO = 10


@dataclass
class _Usage:
    """How often the corpus writes a word in lower case, and capitalised inside a sentence."""

    lower: int = 0
    capital_inside: int = 0

    @property
    def ordinary(self) -> bool:
        return self.lower >= max(1, ORDINARY_WORD_RATIO * self.capital_inside)


def _without_position_capitals(state: CorpusState) -> list[Item]:
    analyses, items = state.analyses, state.items
    texts = {a.article.id: a for a in analyses}
    named = [i for i in items if i.type != "date"]
    opens = [_opens_its_sentence(i, texts) for i in named]
    openers = [i for i, first in zip(named, opens, strict=True) if first]
    if not openers:
        return items
    first_words = {_first_word(i.mention.text) for i in openers} - {""}
    state.memo.words = _word_counts(analyses, state.texts, state.known.words)
    usage = _usage_of(first_words, state.memo.words)
    # Names found somewhere other than at a sentence's start: their first word is theirs.
    full_inside = {
        canonical_key(i.mention.name) for i, first in zip(named, opens, strict=True) if not first
    }
    alone = Counter(canonical_key(i.mention.name) for i in items)
    types_of: dict[str, set[str]] = defaultdict(set)
    for i in items:
        types_of[canonical_key(i.mention.name)].add(i.type)
    opener_ids = {id(i) for i in openers}
    undone: dict[str, str] = {}  # the glued name's key → the key of the name it holds
    kept: list[Item] = []
    for item in items:
        word = _first_word(item.mention.text) if id(item) in opener_ids else ""
        seen = usage.get(word.casefold(), _Usage())
        if not word or not seen.lower or canonical_key(item.mention.name) in full_inside:
            kept.append(item)
            continue
        rest = item.mention.text[len(word) :].strip()
        if not rest:
            if not seen.ordinary:
                kept.append(item)  # `Brown` is a surname here, whatever `brown` is elsewhere
            continue
        rest_key = canonical_key(rest)
        if is_event_name(rest) or is_not_a_name(rest_key):
            continue  # `Strong Oscar contenders`: an ordinary word and an award
        if alone[rest_key] == 0 or (item.type == "person" and "person" in types_of[rest_key]):
            # `Bill Gates said`, then `Gates`: a given name may be an ordinary word too
            # (a role before a name is a title: names.py).
            kept.append(item)
            continue
        cut = _cut_first_word(item, texts[item.article], word)
        undone[item.key] = cut.key
        kept.append(cut)
    for item in kept:
        # Short forms the article joined to the glued name (`Chelsea` to `Injured Chelsea`)
        # go back to the name they are.
        if item.key in undone and canonical_key(item.mention.name) == undone[item.key]:
            item.key, item.reason = undone[item.key], None
    return kept


def _first_word(text: str) -> str:
    match = _WORD.match(text)
    return match.group(0) if match else ""


def _opens_its_sentence(item: Item, texts: dict[str, ArticleAnalysis]) -> bool:
    analysis = texts[item.article]
    m = item.mention
    if m.section not in PROSE_SECTIONS or m.sentence >= len(analysis.sentences):
        return False
    sentence = analysis.sentences[m.sentence]
    return bool(_OPENING.match(analysis.text[sentence.start : m.start]))


def _usage_of(first_words: set[str], counts: WordCounts) -> dict[str, _Usage]:
    """Lower-case and mid-sentence capitalised uses of the given words, in bodies and
    captions (headlines may capitalise every word)."""
    usage = {}
    for word in {w.casefold() for w in first_words}:
        if counts.lower[word] or counts.capital_inside[word]:
            usage[word] = _Usage(counts.lower[word], counts.capital_inside[word])
    return usage


def _word_counts(
    analyses: list[ArticleAnalysis], texts: dict[str, str], known: WordCounts
) -> WordCounts:
    """The corpus's word counts: the last run's, and the new articles' added, when every
    article the last run counted is still here as it was; else counted again."""
    if known.texts and all(texts.get(a) == text for a, text in known.texts.items()):
        counts = WordCounts(dict(known.texts), Counter(known.lower), Counter(known.capital_inside))
        analyses = [a for a in analyses if a.article.id not in known.texts]
    else:
        counts = WordCounts()
    words: list[str] = []
    openers: list[str] = []  # each sentence's first word
    for analysis in analyses:
        counts.texts[analysis.article.id] = texts[analysis.article.id]
        text = analysis.text
        for sentence in analysis.sentences:
            if sentence.section in PROSE_SECTIONS and sentence.section != "title":
                found = _WORD.findall(text, sentence.start, sentence.end)
                words += found
                openers += found[:1]
    opening = Counter(openers)
    for word, n in Counter(words).items():
        if word.islower():
            counts.lower[word] += n
        elif n > opening[word]:
            counts.capital_inside[word.casefold()] += n - opening[word]
    return counts


def _cut_first_word(item: Item, analysis: ArticleAnalysis, word: str) -> Item:
    m = item.mention
    start = m.start + len(word)
    while start < m.end and analysis.text[start].isspace():
        start += 1
    text = analysis.text[start : m.end]
    name = m.name[len(word) :].strip() if m.name.startswith(word + " ") else text
    key = canonical_key(name)
    mention = m.model_copy(update={"start": start, "text": text, "name": name, "key": key})
    return Item(item.article, mention, key, item.reason, item.type)
