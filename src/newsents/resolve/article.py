"""Turn the model's spans in one article into clean, typed mentions with canonical keys.

Each span is first cleaned into a name (names.py), and spans with no proper noun in them, or
naming what is no person, organisation or place, are dropped. Then ARTICLE_PASSES run in
order, each a small rule a linguist would accept for any news text: find again names the
model recognised once but missed elsewhere; keep `The` where it belongs to a name; vote each
name's type from the model's labels and what the text says around it (weights.py); join short
forms to the one full name they stand for; settle one type per key; and, in team-sport
reports only, mark the places that play as sides (sports.py). Mentions with the same type and
key are one entity; corpus.py joins the articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, takewhile
from typing import Literal, cast

from newsents.lexicon import (
    MARKET_INDICES,
    NAME_PARTICLES,
    country_key,
    is_calendar_word,
    is_country,
    is_demonym,
    is_event_name,
    is_law_name,
    is_not_a_name,
    organization_key,
    words,
)
from newsents.models import (
    PROSE_SECTIONS,
    EntityType,
    Reason,
    ResolvedMention,
    Section,
    Sentence,
)
from newsents.resolve.dates import normalize_date
from newsents.resolve.intervals import Taken
from newsents.resolve.names import (
    HONORIFICS,
    PLURAL_ACRONYM,
    TITLES,
    CleanName,
    canonical_key,
    clean_date_span,
    clean_span,
    company_base,
    company_key,
    ends_a_line_that_is_not_prose,
    goes_on_with_a_number,
    is_particle_name,
    is_title_word,
    title_key,
    titles_before,
    word_before,
)
from newsents.resolve.sports import (
    in_a_match_or_team_role,
    in_a_result,
    names_the_place,
    plays_as_side,
    team_sport,
)
from newsents.resolve.weights import VOTES

TYPE_OF_LABEL: dict[str, EntityType] = {
    "PERSON": "person",
    "PER": "person",
    "BYLINE": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "DATE": "date",
}
NAME_TYPES: tuple[EntityType, ...] = ("organization", "person", "place")

# Last words that make a name an organisation: `China Development Bank`, `Shoney's Inc`.
ORG_HEADS = words("org_heads")
# Nouns that introduce an organisation in apposition: `oil giant Sinopec`, `rival Huobi`.
ORG_INTRODUCERS = words("org_introducers")
# The subset that only ever introduces a company: `shipping giant Maersk`.
COMPANY_NOUNS = words("company_nouns")
COMPANY_OR_JOB_NOUNS = words("company_or_job_nouns")
# Words that introduce a person: `said spokesman Tom Smith`, `by author John Roe`.
PERSON_INTRODUCERS = words("person_introducers")
# A point of the compass or a side before an organisation head names a place: `West Bank`,
# `South Bank`, `Left Bank`. `Central Bank`, `Northern Bank` and `Upper House` stay organisations.
_SIDES_OF_A_PLACE = words("sides_of_a_place")
_PLATFORMS = words("platforms")
# Compass words: `the South` may be the short form of `South Korea`.
_DIRECTIONS = words("directions")
# `the coastal city of Marrowby`, `the province of Chechnya`: the noun says what the name is.
_PLACE_OF = re.compile(
    r"\b(?:city|town|village|province|region|district|port|capital|island|suburb|outskirts|"
    r"state|county)\s+of\s+$"
)
_CAMEL_CASE = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]")
_PATRONYMIC_CAMEL = re.compile(r"^(?:Mc|Mac|O'|O’|D'|D’|De|Di|Da|Du|La|Le|Van|Von)[A-Z]")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z]{2,4}s?\b|[A-Za-z][a-z-]*)")
# Nouns after a plural name that make it a family's or a pair's: `the Williams sisters`.
_KIN_NOUNS = words("kin_nouns")
ORG_MODIFIERS = words("organization_modifiers")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,7}$")
_INITIALS_SKIP = words("initials_skip")
_SENTENCE_END = '.!?:\n"“”'


@dataclass(frozen=True)
class RawMention:
    """A span as the model (or the loader, for bylines) gave it."""

    start: int
    end: int
    label: str
    section: Section
    sentence: int


def _no_votes() -> Counter[str]:
    """An empty Counter. `Counter()` runs `update`; an empty one needs only `dict.__new__`,
    six times faster, and an article's rules make some 150 of them."""
    return Counter.__new__(Counter)


@dataclass
class Candidate:
    """A mention while the article's rules work on it."""

    start: int
    end: int
    text: str
    name: str
    titles: list[str]
    label: str
    type: EntityType
    section: Section
    sentence: int
    key: str
    name_start: int
    reason: Reason | None = None
    refound: bool = False
    the_in_name: bool = False
    ambiguous: bool = False
    company_noun: bool = False  # introduced by a noun that only names companies
    side: str | None = None  # the sport in which this place's name stands for its team
    votes: Counter[str] = field(default_factory=_no_votes)
    model_voted: bool = False  # `votes` holds the model's label for the whole span
    cut_at_possessive: bool = False  # `Binance’s Blockchain` read as `Binance`


@dataclass
class ArticleState:
    """One article while its passes run over its names."""

    text: str
    sentences: list[Sentence]
    names: list[Candidate]
    sport: str | None  # the team sport the article reports (sports.team_sport), else None


def keep_possessives_in_names(state: ArticleState) -> None:
    """Reads the names the article gives on their own. A span the model ran across a
    possessive was read as its possessor (`Binance’s Blockchain` names Binance); where a
    capitalised word follows the possessive and the possessor is no country and named
    nowhere else in the article, the possessive is the name's own: the whole span is the
    name (`People’s Bank of China`, `Moody’s Investors Service`, `King’s College`)."""
    alone = {c.key for c in state.names if not c.cut_at_possessive}
    kept = []
    for c in state.names:
        if (
            c.cut_at_possessive
            and c.label != "PERSON"  # `Amazon’s Jeff Bezos`: a person's name has none
            and c.key not in alone
            and not is_country(c.key)
            and _POSSESSIVE_THEN_CAPITAL.search(c.text)
        ):
            mention = RawMention(c.start, c.end, c.label, c.section, c.sentence)
            c = _candidate(mention, state.text, cut_possessive=False) or c
        kept.append(c)
    state.names = kept


_POSSESSIVE_THEN_CAPITAL = re.compile(r"['’]s\s+(?:of\s+)?[A-Z]")


def split_coordinated_names(state: ArticleState) -> None:
    """Reads each name with `and` inside and the article's other names. Splits a span the
    model ran over two names (`Everton and Arsenal`) where the article names each part on its
    own; `Marks and Spencer`, named only whole, stays one. Records no reason: each part is
    the name it is."""
    alone = {c.key for c in state.names if " and " not in c.name}
    split: list[Candidate] = []
    for c in state.names:
        parts = _coordinated_parts(c, state.text, alone)
        split += parts if parts else [c]
    state.names = split


def _coordinated_parts(c: Candidate, text: str, alone: set[str]) -> list[Candidate]:
    if c.type == "person" or " and " not in c.name:
        return []
    at = c.text.find(" and ")
    if at < 0:
        return []
    pieces = [(c.start, c.start + at), (c.start + at + 5, c.end)]
    parts = [
        _candidate(RawMention(start, end, c.label, c.section, c.sentence), text)
        for start, end in pieces
    ]
    if any(p is None or p.key not in alone for p in parts):
        return []
    return [p for p in parts if p is not None]


def find_missed_names(state: ArticleState) -> None:
    """Reads the names the model found and the sentences. Adds each name again where the
    model missed it in the article, as a whole word (reason `refound`)."""
    if state.sentences:
        state.names += refind_missed(state.names, state.text, state.sentences)
        state.names.sort(key=lambda c: (c.start, c.end))


def drop_acronyms_of_common_nouns(state: ArticleState) -> None:
    """Reads the acronyms the article defines after words in lower case (`personal protective
    equipment (PPE)`, `an initial public offering (IPO)`). Drops every mention of such an
    acronym in the article: it abbreviates a common noun and names nothing. An organisation
    described in lower case keeps its acronym (`the national oil company (NOC)`: the phrase
    ends in an organisation's head noun). Records no reason: the mentions are gone."""
    keys = common_noun_acronyms(state.text) if "(" in state.text else set()
    if keys:
        state.names = [c for c in state.names if c.key not in keys]


def drop_portfolios_before_titles(state: ArticleState) -> None:
    """Reads the words after each name that is a government portfolio's subject
    (`words/portfolios.txt`). Drops it where a minister's or secretary's title follows, alone
    or after other portfolios (`Health Secretary Alex Azar`, `Industry, Commerce and Tourism
    Minister`): it is part of the title, no organisation. Records no reason: the mentions
    are gone."""
    state.names = [
        c
        for c in state.names
        if c.type == "person"
        or c.key not in PORTFOLIOS
        or not _PORTFOLIO_TITLE_AFTER.match(state.text, c.end)
    ]


def keep_the_in_names(state: ArticleState) -> None:
    """Reads the words before each name. Keeps `The` in a name where the text capitalises it
    in mid-sentence (`in The Hague`). Records no reason: the name is the one written."""
    _restore_name_the(state.names, state.text)


def vote_by_context(state: ArticleState) -> None:
    """Reads the words around each mention, the article's other names, lists of names and,
    in a team-sport report only, match results. Changes each mention's type votes (weights:
    `VOTES`). Records no reason: the votes are kept as `type_votes`."""
    add_context_votes(state.names, state.text, sport=state.sport)


def join_names_to_full_forms(state: ArticleState) -> None:
    """Reads the article's multi-word names. Gives a short form the key of the one full name
    it stands for (reasons `acronym_defined`, `acronym`, `surname`, `given_name`,
    `short_form`), or marks it ambiguous when several fit."""
    join_short_forms(state.names, state.text)


def join_sides_to_their_clubs(state: ArticleState) -> None:
    """Only in a team-sport report. Reads the places that play as sides (in a result, a
    match or before a team role: sports.py) and the article's clubs. Gives such a mention the
    key of the one club whose name it begins (`CHICAGO` in the standings of a report naming the
    `Chicago White Sox`; reason `short_form`); the city's other mentions stay the city."""
    if state.sport is None:
        return
    clubs = _full_names([c for c in state.names if c.type == "organization"])
    for c in state.names:
        if c.reason or is_country(c.key) or c.type == "person":
            continue
        if not (
            in_a_result(state.text, c.start, c.end)
            or in_a_match_or_team_role(state.text, c.start, c.end, c.key)
        ):
            continue
        named = [k for k, (_, votes) in clubs.items() if k.startswith(c.key + " ")]
        if len(named) == 1 and _mostly(clubs[named[0]][1], "organization"):
            c.key, c.reason = named[0], "short_form"


def settle_types(state: ArticleState) -> None:
    """Reads the votes of every mention of a key. Gives all of them the majority type; a
    dateline's name is a place. Records no reason: the votes are kept as `type_votes`."""
    decide_types(state.names)


def mark_sides(state: ArticleState) -> None:
    """Only in a team-sport report. Reads the places and their surroundings (sports.py).
    Marks a place whose name plays as a side with the sport (`side`): the side is an entity
    apart from the place, related to it (`side_of`)."""
    if state.sport is not None:
        mark_sports_sides(state.names, state.text, state.sport)


# The passes over one article's names, in order. A new rule is a function of ArticleState
# with a docstring saying what it reads, what it changes and the reason it records.
ARTICLE_PASSES: tuple[Callable[[ArticleState], None], ...] = (
    keep_possessives_in_names,
    split_coordinated_names,
    find_missed_names,
    drop_acronyms_of_common_nouns,
    drop_portfolios_before_titles,
    keep_the_in_names,
    vote_by_context,
    join_names_to_full_forms,
    join_sides_to_their_clubs,
    settle_types,
    mark_sides,
)


def resolve_article(
    raw: Iterable[RawMention],
    text: str,
    sentences: list[Sentence] | None = None,
    *,
    anchor: dt.date | None = None,
) -> list[ResolvedMention]:
    """Clean, type and key every span of one article; spans of other labels are dropped."""
    candidates = [c for m in raw if (c := _candidate(m, text)) is not None]
    candidates.sort(key=lambda c: (c.start, c.end))
    state = ArticleState(
        text=text,
        sentences=sentences or [],
        names=[c for c in candidates if c.type != "date"],
        sport=team_sport(text),
    )
    for run in ARTICLE_PASSES:
        run(state)
    dates = _dates_clear_of_names([c for c in candidates if c.type == "date"], state.names, text)
    resolved = [_resolved(c) for c in state.names] + [_resolved_date(c, anchor) for c in dates]
    resolved.sort(key=lambda m: (m.start, m.end))
    return resolved


def _dates_clear_of_names(
    dates: list[Candidate], names: list[Candidate], text: str
) -> list[Candidate]:
    """One mention never belongs to two entities: a date span the model ran over a name
    (`Nuvaxil early in 2025`) keeps what lies after the name, if that still names a time."""
    taken = Taken((n.start, n.end) for n in names)
    kept = []
    for date in dates:
        start = max(date.start, taken.end_of_overlap(date.start, date.end) or date.start)
        if start == date.start:
            kept.append(date)
            continue
        while start < date.end and not text[start].isalnum():
            start += 1
        rest = RawMention(start, date.end, date.label, date.section, date.sentence)
        cut = _candidate(rest, text) if start < date.end else None
        if cut is not None:
            kept.append(cut)
    return kept


def _candidate(mention: RawMention, text: str, *, cut_possessive: bool = True) -> Candidate | None:
    entity_type = TYPE_OF_LABEL.get(mention.label)
    if entity_type is None:
        return None
    end = mention.end
    if entity_type != "date":
        end = _with_its_number(
            text, mention.start, _without_trailing_demonym(text, mention.start, end)
        )
    span_text = text[mention.start : end]
    read = _read_span(span_text, entity_type, cut_possessive)
    if read is None and cut_possessive:
        # What the possessive leaves is a capitalised word that is no name (`King’s College
        # London` cut to `King`, a title): the possessive is the name's own.
        whole = _read_span(span_text, entity_type, False)
        read = whole if whole is not None and whole[0].name[:1].isupper() else None
    if read is None:
        return None
    clean, key, reason = read
    titles = list(clean.titles)
    if entity_type != "date" and not titles:
        titles = titles_before(text, mention.start)
    candidate = Candidate(
        start=mention.start,
        end=end,
        text=span_text,
        name=clean.name,
        titles=titles,
        label=mention.label,
        type=entity_type,
        section=mention.section,
        sentence=mention.sentence,
        key=key,
        name_start=mention.start + clean.start,
        reason=reason,
        cut_at_possessive=clean.cut_at_possessive,
    )
    if entity_type == "person" and _is_quoted_title(candidate, text):
        return None
    if reason == "organization_name":
        candidate.votes["organization"] += VOTES["known_organization"]
    if any(title_key(t) in HONORIFICS for t in titles):
        candidate.votes["person"] += VOTES["honorific"]
    elif titles and any(title_key(t) in TITLES for t in titles):
        candidate.votes["person"] += VOTES["job_title"]
    if not clean.cut_at_possessive:
        # The model's label was for the whole phrase; `Binance’s Blockchain` says little
        # about what `Binance` is.
        candidate.votes[entity_type] += VOTES["model_label"]
        candidate.model_voted = True
    return candidate


@lru_cache(maxsize=65536)
def _read_span(
    span_text: str, entity_type: EntityType, cut_possessive: bool = True
) -> tuple[CleanName, str, Literal["country_name", "organization_name"] | None] | None:
    """What a span's own words say, whatever its article (so a name read once is read for
    every article that names it): its clean name, key and the reason the key is not the
    name's own; None if it names nothing newsents keeps."""
    if entity_type == "date":
        clean = clean_date_span(span_text)
        if not any(ch.isalnum() for ch in clean.name) or names_no_time(clean.name):
            return None
    else:
        clean = clean_span(
            span_text, strip_titles=entity_type == "person", cut_possessive=cut_possessive
        )
        if not _is_proper_name(clean.name) or _is_people_word(clean.name, entity_type):
            return None
        if (
            is_not_a_name(canonical_key(clean.name))
            or _names_a_share_index(span_text)
            or is_law_name(clean.name)
            or is_event_name(clean.name)
            or entity_type != "person"
            and is_calendar_word(clean.name)
        ):
            return None
    key = company_key(clean.name) if entity_type == "organization" else canonical_key(clean.name)
    if entity_type != "person" and country_key(key) != key:
        return clean, country_key(key), "country_name"
    if organization_key(key) != key:
        return clean, organization_key(key), "organization_name"
    return clean, key, None


def _names_a_share_index(span_text: str) -> bool:
    """`S&P 500`, `the FTSE 100 index`: a share index, by the words of the span (its clean
    name loses the number: `S&P` is also a company)."""
    words = canonical_key(span_text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[-1:] == ["index"]:
        words = words[:-1]
    return " ".join(words) in MARKET_INDICES


# Common nouns that head lines of results, tables and web pages (`Men's singles`,
# `Attendance: 40,000`): capitalised there, but never a name on their own.
COMMON_HEADWORDS = words("common_headwords")


# Words that begin a surname: `Van Damsteeg`, `de Gaulle`, `bin Laden`.
SURNAME_PARTICLES = NAME_PARTICLES


_LAST_WORD = re.compile(r"\s+(\S+)$")
_LOWER_WORD_NEXT = re.compile(r"[ \t]+[a-z]")


_NUMBER_AFTER = re.compile(r"[ \t]+(\d{1,2}|One|Two|Three|Four|Five)\b(?![.,:]?\d)")


def _with_its_number(text: str, start: int, end: int) -> int:
    """`BBC Radio` before `4` is `BBC Radio 4`: a name whose last word goes on with a number."""
    if goes_on_with_a_number(text[start:end]):
        number = _NUMBER_AFTER.match(text, end)
        if number:
            return number.end()
    return end


def _without_trailing_demonym(text: str, start: int, end: int) -> int:
    """`United Nations Global Compact Chinese signatories`: a nationality word that modifies
    the common noun after the span is not the end of the name before it."""
    last = _LAST_WORD.search(text, start, end)
    if last is None or not is_demonym(last.group(1)):
        return end
    return last.start() if _LOWER_WORD_NEXT.match(text, end) else end


_QUOTES = "\"'“”‘’"


def _is_quoted_title(c: Candidate, text: str) -> bool:
    return is_quoted_title(c.name, text, c.name_start, c.name_start + len(c.name))


def is_quoted_title(name: str, text: str, start: int, end: int) -> bool:
    """A full name in quotation marks is the title of a work (the film `"Margaret Thornbury"`),
    not the person; a one-word nickname in quotes (`Luis "Tornado" Arreola`) is not a name."""
    return (
        " " in name
        and start > 0
        and text[start - 1] in _QUOTES
        and text[end : end + 1] in tuple(_QUOTES)
    )


_NOT_DATES = words("not_dates")
_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)


def names_no_time(name: str) -> bool:
    """`annual`, `the daily`, `Olympic`: words the model may tag as a date that name no time."""
    return all(w in _NOT_DATES for w in _ARTICLE.sub("", name).casefold().split())


def _is_people_word(name: str, entity_type: EntityType) -> bool:
    """`Dutch`, `Briton`: the model's slip for a nationality. A plural organisation may be a
    team named for its people (`Indians`, `Americans`), so it stays."""
    plural_org = entity_type == "organization" and name.endswith("s")
    return is_demonym(name) and not plural_org


def _is_proper_name(name: str) -> bool:
    """At least one capitalised word that is not a title: `Executive` alone is no name."""
    words = name.split()
    if not words or not any(ch.isalpha() for ch in name):
        return False
    if all(is_title_word(w) for w in words):
        return False
    if len(words) == 1 and canonical_key(name) in COMMON_HEADWORDS:
        return False
    if len(words) == 1 and PLURAL_ACRONYM.match(name):
        return False  # `MPs`, `CEOs`: a class of people or things, not a name
    if all(len(w.strip(".")) == 1 for w in words):
        return False  # `W L`, `W D L`: table headings
    return any(w[0].isupper() or w[0].isdigit() or is_particle_name(w) for w in words)


# -- 2. names the model missed ------------------------------------------------------------

# Short lines that are no prose but name what the story names: `PARIS (Reuters) -`, and a
# photo credit (`Ana Ruiz / Pool via REUTERS`).
_NAMING_LINES = frozenset({"dateline", "credit"})


def refind_missed(found: list[Candidate], text: str, sentences: list[Sentence]) -> list[Candidate]:
    """Occurrences of a recognised name that the model did not tag, in the same article."""
    taken = Taken((c.start, c.end) for c in found)
    by_name: dict[str, Candidate] = {}
    for c in found:
        if c.label != "BYLINE" and len(c.name) > 1:
            by_name.setdefault(c.name, c)
    extra: list[Candidate] = []
    if not by_name:
        return extra
    by_first_word = _by_first_word(by_name)
    word_starts = _first_words_in(text, by_first_word)
    for sentence in sentences:
        if sentence.section not in PROSE_SECTIONS and sentence.section not in _NAMING_LINES:
            continue
        occurrences = _occurrences(text, sentence.start, sentence.end, by_first_word, word_starts)
        for start, end, name in occurrences:
            if taken.overlaps(start, end):
                continue
            if inside_longer_name(text, start, end, sentence.start):
                continue
            found_again = _refound(by_name[name], text, start, end, sentence)
            if found_again.type == "person" and _is_quoted_title(found_again, text):
                continue
            taken.add(start, end)
            extra.append(found_again)
    return extra


def _by_first_word(names: Iterable[str]) -> dict[str, list[str]]:
    """Names by their first word, longest first."""
    by_first_word: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names, key=lambda n: (-len(n), n)):
        first = _FIRST_WORD.match(name)
        if first:
            by_first_word[first.group(0)].append(name)
    return by_first_word


_FIRST_WORD = re.compile(r"\w+")


def _first_words_in(text: str, by_first_word: dict[str, list[str]]) -> list[tuple[int, str]]:
    """(offset, first word) where each first word of a name begins a word in the text (nothing
    alphanumeric, `_` or `&` before it), in text order. Found with `str.find`, a scan in C per
    first word, rather than visiting every word of the article in Python: an article names a
    few dozen first words in thousands of words."""
    found: list[tuple[int, str]] = []
    for first in by_first_word:
        at = text.find(first)
        while at >= 0:
            if not (at and _word_goes_on(text, at - 1)):
                found.append((at, first))
            # An occurrence less than a word's length on starts inside this one: no word start.
            at = text.find(first, at + len(first))
    return sorted(found)


def _occurrences(
    text: str,
    start: int,
    end: int,
    by_first_word: dict[str, list[str]],
    word_starts: list[tuple[int, str]],
) -> list[tuple[int, int, str]]:
    """Where the names occur between start and end as whole words (nothing alphanumeric or
    `&` on either side), the longest at each place, left to right, never overlapping."""
    found: list[tuple[int, int, str]] = []
    at = start
    for i in range(bisect.bisect_left(word_starts, (start,)), len(word_starts)):
        word_start, first = word_starts[i]
        if word_start + len(first) > end:
            break  # the next word starts after this one ends
        if word_start < at:
            continue  # inside the name found last
        for name in by_first_word[first]:
            stop = word_start + len(name)
            if stop <= end and text.startswith(name, word_start) and not _word_goes_on(text, stop):
                found.append((word_start, stop, name))
                at = stop
                break
    return found


def _word_goes_on(text: str, at: int) -> bool:
    return at < len(text) and (text[at].isalnum() or text[at] in "_&")


def inside_longer_name(text: str, start: int, end: int, sentence_start: int) -> bool:
    """`Hai` in `Hai Phong` or `Kong` in `Hong Kong`: part of a name the model did not tag."""
    after = re.match(r"\s+([A-Z][\w'’-]*)", text[end : end + 40])
    if after and not is_title_word(after.group(1)):
        return True
    window_start = max(sentence_start, start - 40)
    before = word_before(text[window_start:start])
    if before and before[1][0].isupper() and not is_title_word(before[1]):
        return window_start + before[0] > sentence_start
    return False


def _refound(model: Candidate, text: str, start: int, end: int, sentence: Sentence) -> Candidate:
    return Candidate(
        start=start,
        end=end,
        text=text[start:end],
        name=model.name,
        titles=[],
        label=model.label,
        type=model.type,
        section=sentence.section,
        sentence=sentence.index,
        key=model.key,
        name_start=start,
        refound=True,
    )


# -- 3. short forms -------------------------------------------------------------------------


AMBIGUOUS: Literal["ambiguous"] = "ambiguous"
# A short form's full name and the reason, or (None, "ambiguous") when several fit.
_ShortForm = tuple[str | None, Reason | Literal["ambiguous"] | None]


def join_short_forms(candidates: list[Candidate], text: str) -> None:
    """Give a short form the key of the one full name it stands for in this article."""
    _join_defined_acronyms(candidates, text)
    full_names = _full_names(candidates)
    tallies = _tallies(candidates)
    people = [k for k, (_, votes) in full_names.items() if _mostly(votes, "person")]
    for c in candidates:
        if c.reason or c.section == "dateline":
            continue  # a dateline names the town the story was filed from, no one's name
        target, reason = _short_form_target(c, full_names, tallies[c.key], people)
        if target is not None and reason is not None and reason != AMBIGUOUS:
            c.key, c.reason = target, cast(Reason, reason)
        elif reason == AMBIGUOUS:
            c.ambiguous = True


def _tallies(candidates: list[Candidate]) -> dict[str, Counter[str]]:
    tallies: dict[str, Counter[str]] = defaultdict(_no_votes)
    for c in candidates:
        if not c.refound:
            tally = tallies[c.key]
            for entity_type, n in c.votes.items():  # Counter.update, without its type checks
                tally[entity_type] += n
    return tallies


def _full_names(candidates: list[Candidate]) -> dict[str, tuple[str, Counter[str]]]:
    """Multi-word names of the article: key → (display name, type votes)."""
    names: dict[str, tuple[str, Counter[str]]] = {}
    for c in candidates:
        if " " in c.key:
            if c.key not in names:
                names[c.key] = (c.name, _no_votes())
            names[c.key][1].update(c.votes)
    return names


def _short_form_target(
    c: Candidate,
    full_names: dict[str, tuple[str, Counter[str]]],
    tally: Counter[str],
    people: list[str],
) -> _ShortForm:
    """`people`: the keys of full_names that are mostly a person's."""
    if _ACRONYM.match(c.name.replace(" ", "")):
        letters = _letters(c.name)
        matches = [k for k, (name, _) in full_names.items() if _initials(name) == letters]
        if len(matches) == 1:
            return matches[0], "acronym"
        # Not an acronym after all: a word in capitals (`TARIQ` in a headline) goes on.
    words = c.key.split()
    if len(words) == 1:
        if c.key in _DIRECTIONS:
            # `the South` in a story about `South Korea`: the one place named after it.
            places = [
                k
                for k, (_, v) in full_names.items()
                if k.split()[0] == c.key and _mostly(v, "place")
            ]
            return (places[0], "short_form") if len(places) == 1 else (None, None)
        target, reason = _surname_target(c, people, tally)
        if target or reason:
            return target, reason
        for find in (_team_name_target, _company_name_target):
            target, reason = find(c, full_names, tally)
            if target or reason:
                return target, reason
        return None, None
    if words[0] in SURNAME_PARTICLES:
        # `Van Damsteeg` after `Pieter Van Damsteeg`: a surname with its particle.
        people = [
            k
            for k, (_, votes) in full_names.items()
            if k.endswith(" " + c.key) and _mostly(votes, "person")
        ]
        if len(people) == 1:
            return people[0], "surname"
    # `Global Compact` after `United Nations Global Compact`: the trailing words of one name.
    tail_of = [
        k
        for k, (_, votes) in full_names.items()
        if k.endswith(" " + c.key) and not _mostly(votes, "person") and not _compass_and(k, c.key)
    ]
    return (tail_of[0], "short_form") if len(tail_of) == 1 else (None, None)


def _team_name_target(
    c: Candidate, full_names: dict[str, tuple[str, Counter[str]]], tally: Counter[str]
) -> _ShortForm:
    """`Ravens` after `Baltimore Ravens`, `Yankees` after `New York Yankees`: the last word
    of one organisation's name, when that word is a name of its own, not a common head
    (`Bank`, `Group`) and not a place."""
    if c.key in ORG_HEADS or _mostly(tally, "place") or not c.name[:1].isupper():
        return None, None
    orgs = [
        k
        for k, (_, votes) in full_names.items()
        if k.endswith(" " + c.key) and _mostly(votes, "organization") and not _compass_and(k, c.key)
    ]
    return (orgs[0], "short_form") if len(orgs) == 1 else (None, None)


def _company_name_target(
    c: Candidate, full_names: dict[str, tuple[str, Counter[str]]], tally: Counter[str]
) -> _ShortForm:
    """`Dominion` after `Dominion Textile Inc`, `Corvell` after `Corvell Industries Inc`: the
    first word of one company's name, where that name ends in a legal form (an organisation
    head is not enough: `Binance` is not `Binance Research Institute`); never a place's or a
    person's name (`China` is not `China Development Inc`, `Ford` in a story about Harrison
    Ford stays his)."""
    if (
        c.key in ORG_HEADS
        or is_country(c.key)
        or _mostly(tally, "place")
        or _mostly(tally, "person")
        or not c.name[:1].isupper()
    ):
        return None, None
    companies = [
        k
        for k, (name, votes) in full_names.items()
        if k.startswith(c.key + " ")
        and _mostly(votes, "organization")
        and company_base(name) != name
    ]
    return (companies[0], "short_form") if len(companies) == 1 else (None, None)


def _compass_and(full_key: str, short_key: str) -> bool:
    """`East Harlow` is not `Harlow`, nor `North Korea` `Korea`, nor `New Labour`
    `Labour`: a compass word or `New` before a name makes another name."""
    head = full_key[: -len(short_key)].split()
    return bool(head) and all(w in _DIRECTIONS or w == "new" for w in head)


def _surname_target(c: Candidate, people: list[str], tally: Counter[str]) -> _ShortForm:
    """`Hai` after `Helen Hai`: when the name is used as a person and one person fits."""
    used_as_person = bool(c.titles) or tally["person"] >= max(
        tally["organization"], tally["place"], 1
    )
    if not used_as_person:
        return None, None
    surname_of = [k for k in people if k.split()[-1] == c.key]
    if surname_of:
        return (surname_of[0], "surname") if len(surname_of) == 1 else (None, AMBIGUOUS)
    # `Callum` after `Callum Ashdown`, `Zhou` after `Zhou Minghao`: within one article, the first
    # word of exactly one person's name (never across articles: see graph.py).
    given_name_of = [k for k in people if k.split()[0] == c.key]
    if len(given_name_of) > 1:
        return None, AMBIGUOUS
    return (given_name_of[0], "given_name") if given_name_of else (None, None)


def _mostly(votes: Counter[str], entity_type: str) -> bool:
    return bool(votes) and votes.get(entity_type, 0) * 2 > sum(votes.values())


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isalpha()).upper()


@lru_cache(maxsize=4096)
def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _INITIALS_SKIP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _is_subsequence(letters: str, initials: str) -> bool:
    """`FOMC` in `Federal Open Market Committee`; `RDR` is not `Rwanda`."""
    if len(initials) < 2:
        return False
    rest = iter(initials)
    return letters[:1] == initials[:1] and all(ch in rest for ch in letters)


_DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z.&]{1,9})\)")


PORTFOLIOS = words("portfolios")
# After a portfolio: more of them (`, Commerce and Tourism`), then the title.
_PORTFOLIO_TITLE_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*[A-Z][a-z]+)*\s+(?:[Mm]inister|[Ss]ecretary|[Cc]ommissioner"
    r"|[Uu]nder-?[Ss]ecretary)\b"
)
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Z.&]{1,9})(s?)\)")
_PHRASE_WORD = re.compile(r"[^\W\d_][\w'’]*")
# How far back a defining phrase may begin, and where it cannot reach past.
_PHRASE_REACH = 150
_PHRASE_BREAK = re.compile(r"[.!?;:()\n\"“”]")


def common_noun_acronyms(text: str) -> set[str]:
    """Keys of the acronyms (and their plurals) that the text spells out in lower case words
    just before them, in brackets: each word's first letter, articles and joiners aside."""
    keys: set[str] = set()
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        letters = _letters(match.group(1))
        before = text[max(0, match.start() - _PHRASE_REACH) : match.start()]
        before = _PHRASE_BREAK.split(before)[-1]
        spelt = [w for w in re.split(r"[\s/-]+", before) if w]
        spelt = [w for w in spelt if _PHRASE_WORD.fullmatch(w) and w not in _INITIALS_SKIP]
        phrase = spelt[-len(letters) :]
        if len(phrase) != len(letters) or "".join(w[0] for w in phrase).upper() != letters:
            continue
        head = phrase[-1].casefold()
        if not all(w[0].islower() for w in phrase) or _names_an_organization(head):
            continue
        acronym = match.group(1)
        keys |= {canonical_key(acronym), canonical_key(acronym + "s")}
    return keys


_DESCRIBED_ORG_HEADS = ORG_HEADS | COMPANY_NOUNS | words("described_org_heads")


def _names_an_organization(head: str) -> bool:
    singular = head[:-1] if head.endswith("s") else head
    return bool({head, singular} & _DESCRIBED_ORG_HEADS)


def _join_defined_acronyms(candidates: list[Candidate], text: str) -> None:
    """`Federal Open Market Committee (FOMC)`: the text defines the acronym; trust it."""
    defined: dict[str, str] = {}
    for c in candidates:
        if text.find("(", c.end, c.end + 14) < 0:
            continue  # the pattern's bracket is not there: no need to match it
        match = _DEFINED_ACRONYM.match(text[c.end : c.end + 14])
        if match and _is_subsequence(_letters(match.group(1)), _initials(c.name)):
            defined.setdefault(canonical_key(match.group(1)), c.key)
    for c in candidates:
        target = defined.get(c.key)
        if target and target != c.key:
            c.key, c.reason = target, "acronym_defined"


# -- 4. types ------------------------------------------------------------------------------


def add_context_votes(candidates: list[Candidate], text: str, *, sport: str | None) -> None:
    """What the text says about a name: first around each mention, then, once per name, the
    other names of the article it is part of."""
    tallies = _tallies(candidates)
    places = {k for k, t in tallies.items() if _mostly(t, "place")}
    orgs = {k for k, t in tallies.items() if _mostly(t, "organization")}
    sides_play = sport is not None
    for c in candidates:
        if not c.refound:
            _add_local_votes(c, text, places, orgs, sides_play=sides_play)
    _vote_with_list_mates(candidates, text)
    tallies = _tallies(candidates)
    orgs = {k for k, t in tallies.items() if _mostly(t, "organization")}
    person_words, surnames = _person_name_words(tallies)
    evidence = _evidence_apart_from_the_model(candidates) if person_words - surnames else {}
    companies = {c.key for c in candidates if c.company_noun}
    voted: set[str] = set()
    for c in candidates:
        if c.refound or c.key in voted:
            continue
        voted.add(c.key)
        if c.key in companies and c.key not in person_words:
            # Apposition to a company noun says what the name is, whatever the model guessed.
            tally = tallies[c.key]
            c.votes["organization"] += 1 + sum(n for t, n in tally.items() if t != "organization")
        if (
            " " not in c.key
            and c.key in person_words
            and _stands_for_the_person(c.key, evidence, surnames)
        ):
            # `Zhou` after `Zhou Minghao`, `Varga` after `Istvan Varga`: part of a person's
            # name (either end: surnames come first in many languages). That outweighs the
            # model's labels for the lone word.
            tally = tallies[c.key]
            c.votes["person"] += 1 + sum(n for t, n in tally.items() if t != "person")
        # A name that begins an organisation's name (`Binance` in `Binance Research`).
        begun = sum(1 for k in orgs if k.startswith(c.key + " "))
        if begun:
            c.votes["organization"] += VOTES["begins_an_organization"] * begun
        if (
            " " not in c.key
            and c.key not in person_words
            and not _mostly(tallies[c.key], "place")
            and any(k.startswith(c.key + " ") and _has_org_head(k.split()) for k in orgs)
        ):
            # `Corvell` beside `Corvell Industries Inc`: the company's short name.
            tally = tallies[c.key]
            c.votes["organization"] += 1 + sum(n for t, n in tally.items() if t != "organization")
        if any(n <= 0 for n in c.votes.values()):
            c.votes = +c.votes  # drop types left with no votes


_LIST_GAP = re.compile(r"^(?:\s*,\s*|\s*,?\s+(?:and|or)\s+)$")


def _vote_with_list_mates(candidates: list[Candidate], text: str) -> None:
    """Names listed together (`Essex, Derbyshire and Surrey`) are things of one kind: each
    gets a vote for the kind most of the others are."""
    lists: list[list[Candidate]] = []
    for previous, c in pairwise(candidates):
        joined = previous.sentence == c.sentence and _LIST_GAP.match(text[previous.end : c.start])
        if joined and lists and lists[-1][-1] is previous:
            lists[-1].append(c)
        elif joined:
            lists.append([previous, c])
    lists = [members for members in lists if len(members) >= 3]
    tallies = _tallies(candidates) if lists else {}
    for members in lists:
        for c in members:
            others = sum((tallies[m.key] for m in members if m.key != c.key), Counter())
            if others:
                c.votes[_winner(others)] += VOTES["list_mate"]


def _add_local_votes(
    c: Candidate, text: str, places: set[str], orgs: set[str], *, sides_play: bool
) -> None:
    """Its last word, the noun before it, its shape, its place in a sports result (only in a
    team-sport report: `Trump beat Harris` is two people)."""
    words = c.name.split()
    if _has_org_head(words):
        c.votes["organization"] += VOTES["organization_head"]
    if sides_play and (
        c.type == "place"
        and not is_country(c.key)
        and (
            in_a_result(text, c.start, c.end)
            or in_a_match_or_team_role(text, c.start, c.end, c.key)
        )
        or c.type == "person"
        and len(words) == 1
        and in_a_match_or_team_role(text, c.start, c.end, c.key)
    ):
        c.votes["organization"] += VOTES["side_in_a_result"]
    after = _WORD_AFTER.match(text, c.end)
    word_after = after.group(1).casefold() if after else ""
    if word_after in ORG_MODIFIERS:
        c.votes["organization"] += VOTES["organization_modifier"]
    if c.type == "person" and _plural_after_the(c, text, word_after):
        c.votes["organization"] += VOTES["plural_after_the"]
    window = text[max(0, c.start - 40) : c.start]
    previous = _introducing_word(text, c.start)
    appositive = _appositive_head(text, c.start, c.end)
    if appositive in COMPANY_OR_JOB_NOUNS:
        appositive = ""
    if previous in COMPANY_NOUNS or appositive in COMPANY_NOUNS:
        c.company_noun = True
    if previous in ORG_INTRODUCERS or appositive in ORG_INTRODUCERS:
        c.votes["organization"] += VOTES["introducer"]
    elif previous in PERSON_INTRODUCERS or appositive in PERSON_INTRODUCERS:
        c.votes["person"] += VOTES["introducer"]
    elif previous == "of" and _PLACE_OF.search(window):  # the pattern ends in `of`
        c.votes["place"] += VOTES["introducer"]
    if len(words) == 1 and _CAMEL_CASE.match(c.name) and not _PATRONYMIC_CAMEL.match(c.name):
        c.votes["organization"] += VOTES["camel_case"]
    if (
        len(words) >= 2
        and canonical_key(words[-1]) in places
        and canonical_key(" ".join(words[:-1])) in orgs
        and c.votes["person"]
    ):
        # An organisation's name and a place: `Binance China` is the company's unit, not a
        # person (`Denzel Washington` is, in a story that names Washington).
        c.votes["organization"] += c.votes.pop("person")


# `, the world's biggest spirits firm,` after a name: a short noun phrase in apposition,
# closed by the clause's punctuation (a phrase running on is a clause or a list's next item).
_APPOSITIVE = re.compile(
    r",[ \t]+(?:the|a|an)[ \t]+(?P<phrase>[^,.;:()\n]{1,80}?)[ \t]*(?:[,;)]|\.(?:\s|$))"
)
_MAX_APPOSITIVE_WORDS = 8
# Words after which a phrase's head has come: `the president of the company` is a president,
# `the private firm which runs the lines` a firm.
_AFTER_THE_HEAD = frozenset(
    {"of", "in", "at", "for", "with", "from", "to", "on", "by", "who", "which", "that"}
)
# A noun phrase with these is a list (`Ana Ruiz, the World Bank and the IMF`); a phrase with
# a verb of saying is a clause (`…, a spokesman for the charity said`).
_LIST_WORDS = frozenset({"and", "or"})
_SAYING_WORDS = frozenset({"said", "says", "told", "added"})
# A sentence opening with a preposition and a name: its comma ends that phrase, and what
# follows is the sentence's subject (`In Kibera, a spokesman for the charity said`).
_FRONTED_PREPOSITION = re.compile(
    r"(?:^|[.!?][\"”’)]*\s+|\n)(?:In|At|From|For|Across|Outside|Inside|Near|After|Before"
    r"|Unlike|Like|Despite|With|Without|On|Over|Under|Beyond|Throughout)\s+$"
)


def _appositive_head(text: str, start: int, end: int) -> str:
    """The head noun of the noun phrase in apposition just after a name, casefolded (`firm`
    in `Diageo, the world's biggest spirits firm, said`); "" if none follows."""
    match = _APPOSITIVE.match(text, end)
    if match is None or _FRONTED_PREPOSITION.search(text[max(0, start - 30) : start]):
        return ""
    words = match.group("phrase").split()
    noun_phrase = list(takewhile(lambda w: w not in _AFTER_THE_HEAD, words))
    if (
        not noun_phrase
        or len(noun_phrase) > _MAX_APPOSITIVE_WORDS
        or _LIST_WORDS.intersection(noun_phrase)
        or _SAYING_WORDS.intersection(words)
    ):
        return ""
    head = noun_phrase[-1]
    return head if head.islower() else ""  # a common noun, not a name (`the World Bank`)


def _introducing_word(text: str, start: int) -> str:
    """The word just before a name, casefolded, when it can say what the name is: in the
    same line or a line of prose wrapped onto the name's (a heading such as `PROTECTION
    AGENCY` says nothing of the name under it) and in the same sentence (`a consulting
    firm. Tom Reyes said`): a word with a full stop is an honorific (`Dr.`) or ends the
    sentence."""
    window_start = max(0, start - 40)
    before = word_before(text[window_start:start])
    if before is None:
        return ""
    gap_start = window_start + before[0] + len(before[1])
    breaks = text.count("\n", gap_start, start)
    if (
        breaks > 1
        or breaks == 1
        and ends_a_line_that_is_not_prose(text, text.index("\n", gap_start))
    ):
        return ""
    word = before[1].casefold()
    if word.endswith(".") and word.strip(".") not in HONORIFICS:
        return ""
    return word.strip(".")


def _plural_after_the(c: Candidate, text: str, word_after: str) -> bool:
    """`the Lib Dems`, `the Tories`: a name in the plural after `the`, ending its noun
    phrase, is a group; a person's name takes neither (`the Williams sisters` is not one)."""
    return (
        c.name.endswith("s")
        and word_after not in _KIN_NOUNS
        and text[max(0, c.start - 4) : c.start] in ("the ", "The ")
        and not is_country(c.key)
    )


def _person_name_words(tallies: dict[str, Counter[str]]) -> tuple[set[str], set[str]]:
    """The first and last words of the article's people's names, and the last words alone."""
    words: set[str] = set()
    surnames: set[str] = set()
    for key, tally in tallies.items():
        parts = key.split()
        if len(parts) >= 2 and _mostly(tally, "person"):
            words.update((parts[0], parts[-1]))
            surnames.add(parts[-1])
    return words, surnames


# A name's type votes from its words and the text around it (its tally less the model's
# labels), and the types the model gave its mentions.
_Evidence = tuple[Counter[str], set[str]]


def _stands_for_the_person(word: str, evidence: dict[str, _Evidence], surnames: set[str]) -> bool:
    """Whether a lone word of a person's name is that person's. A surname is, whatever the
    model called it (`Ford` in a story about Harrison Ford): news names a person again by
    surname. A word that only begins a person's name (`Zhou` of `Zhou Minghao`) is too, but
    for two signs that agree: the model called one of its mentions a place or organisation,
    and the words around it say a place or organisation more than a person (`Chelsea beat
    Arsenal` beside Chelsea Clinton, a side whatever the model called it: given names are also
    clubs', towns' and countries' names). One alone is not enough."""
    if word in surnames or word not in evidence:
        return True
    around, labelled = evidence[word]
    if not labelled & {"place", "organization"}:
        return True
    return around["place"] + around["organization"] <= max(around["person"], 0)


def _evidence_apart_from_the_model(candidates: list[Candidate]) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = {}
    for c in candidates:
        if c.refound:
            continue
        around, labelled = evidence.setdefault(c.key, (_no_votes(), set()))
        for entity_type, n in c.votes.items():
            around[entity_type] += n
        if c.model_voted:
            around[c.type] -= VOTES["model_label"]
            labelled.add(c.type)
    return evidence


def _has_org_head(words: list[str]) -> bool:
    return (
        (
            len(words) >= 2
            and words[-1].casefold().strip(".") in ORG_HEADS
            and words[0].casefold() not in _SIDES_OF_A_PLACE
        )
        or len(words) == 1
        and _is_compound_org_name(words[0])
    )


# Heads that make one word a company's name when compounded onto another (`Chainnews`,
# `Microsoft`, `Sinotech`): no surname or place name ends so.
COMPOUND_ORG_HEADS = tuple(sorted(words("compound_org_heads")))


def _is_compound_org_name(word: str) -> bool:
    key = word.casefold()
    return any(key.endswith(head) and len(key) >= len(head) + 3 for head in COMPOUND_ORG_HEADS)


def decide_types(candidates: list[Candidate]) -> None:
    """One type per key in the article: the majority of the votes of all its mentions. An
    online platform (`said on Twitter`) is the organisation that runs it."""
    votes: dict[str, Counter[str]] = defaultdict(_no_votes)
    for c in candidates:
        if not c.refound:
            votes[c.key].update(
                {"place": VOTES["dateline"]} if c.section == "dateline" else c.votes
            )
    for c in candidates:
        if c.section == "dateline":
            # The town a story was filed from is no person of that story (`Khorog`).
            votes[c.key].pop("person", None)
    for key in votes.keys() & _PLATFORMS:
        votes[key] = Counter({"organization": max(1, votes[key]["organization"])})
    for c in candidates:
        tally = votes.get(c.key)
        if c.section == "dateline":
            # A dateline names where the story was filed: a place, even in a report in which
            # the town's name also stands for its team.
            c.type = "place"
            c.votes = Counter({"place": 1})
        elif tally:
            c.type = _winner(tally)
            c.votes = tally


def mark_sports_sides(candidates: list[Candidate], text: str, sport: str) -> None:
    """In a report on a team sport, the places whose names play as sides (sports.py)."""
    people = {c.name_start for c in candidates if c.type == "person"}
    people |= {c.start for c in candidates if c.type == "person"}
    # A ground (`Ibrox`, the model's FAC) is where a side plays, never the side.
    places = [c for c in candidates if c.type == "place" and c.label != "FAC"]
    for_place = {id(c) for c in places if _names_the_place(c, text, people)}
    sides = {
        c.key for c in places if id(c) not in for_place and plays_as_side(text, c.start, c.end)
    }
    for c in places:
        if c.key in sides and id(c) not in for_place:
            c.side = sport


def _names_the_place(c: Candidate, text: str, people: set[int]) -> bool:
    start, end = c.name_start, c.name_start + len(c.name)
    return names_the_place(
        text, start, end, in_dateline=c.section == "dateline", person_starts=people
    )


def _winner(tally: Counter[str]) -> EntityType:
    order: dict[str, int] = {t: i for i, t in enumerate(NAME_TYPES)}
    best = min(tally, key=lambda t: (-tally[t], order.get(t, 9)))
    return best  # type: ignore[return-value]


def _restore_name_the(candidates: list[Candidate], text: str) -> None:
    """Keep `The` where the text shows it belongs to the name: capitalised mid-sentence."""
    with_the: set[str] = set()
    for c in candidates:
        if c.name_start - c.start >= 4 and c.text[:4] == "The " and _mid_sentence(text, c.start):
            with_the.add(c.key)
    for c in candidates:
        # Only where `The` stands before it: `U.S.` alone never becomes `The U.S.`.
        if c.key in with_the and text[max(0, c.name_start - 4) : c.name_start] == "The ":
            c.the_in_name = True


def _mid_sentence(text: str, offset: int) -> bool:
    """Not at the start of a sentence or of a line (the line after a dateline starts one)."""
    before = text[:offset]
    stripped = before.rstrip()
    if not stripped or "\n" in before[len(stripped) :]:
        return False
    return stripped[-1] not in _SENTENCE_END


# -- output ---------------------------------------------------------------------------------


def _resolved(c: Candidate) -> ResolvedMention:
    return ResolvedMention(
        start=c.start,
        end=c.end,
        text=c.text,
        name=f"The {c.name}" if c.the_in_name else c.name,
        type=c.type,
        label=c.label,
        section=c.section,
        sentence=c.sentence,
        key=c.key,
        titles=c.titles,
        reason=c.reason or ("refound" if c.refound else None),
        type_votes=dict(sorted(c.votes.items())),
        ambiguous=c.ambiguous,
        side=c.side,
    )


def _resolved_date(c: Candidate, anchor: dt.date | None) -> ResolvedMention:
    date = normalize_date(c.name, anchor=anchor)
    return ResolvedMention(
        start=c.start,
        end=c.end,
        text=c.text,
        name=c.name,
        type="date",
        label=c.label,
        section=c.section,
        sentence=c.sentence,
        key=date.value if _absolute(date.value) else f"text:{date.value or c.key}",
        value=date.value,
        granularity=date.granularity,
        relative=date.relative,
        type_votes={"date": 1},
    )


def _absolute(value: str | None) -> bool:
    """A calendar value names the same time in any article; `PAST_REF` (`recent months`)
    means something else in each, so such dates stay within their article."""
    return bool(value) and not value.endswith("_REF")  # type: ignore[union-attr]


def preferred_name(names: Iterable[str]) -> str:
    """The name to show for an entity: most used; then not ALL CAPS; then longer; then A-Z."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-counts[n], n.isupper(), -len(n), n))
