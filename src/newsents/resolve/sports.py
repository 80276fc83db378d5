"""Sports sides: where a place's name stands for the team that plays for it.

In a report on a team sport, `England beat Sri Lanka by six wickets` is about two cricket sides,
while the dateline `BRISTOL, England` and `Tom Varley (England)` name the country. The side
is its own entity (`England (cricket team)`), related to the place; the place keeps the rest.

The rules, each one a reading a sports editor would give any report:
- the report's sport is the first sport named in its headline and lead; only team sports have
  sides (in tennis or athletics `Sweden` is a player's country);
- a place name is a side in the report when one of its mentions plays a match (`beat`, `v`,
  `against`, a score after it), heads a team role (`England captain`) or heads a line-up
  (`Teams: | Austria: Lukas Brandauer, ...`);
- every mention of that name is then the side, except where the text says it is the place: the
  dateline, a nationality in brackets (`Hugo Lemaire (France)`), after a preposition of place
  (`the 2031 finals in Portugal`, `Ewan Kilbride of Scotland`), a possessive before a person
  (`Brazil's Caio Moreira`), or the last part of an address (`Dunoon, Scotland`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from newsents.lexicon import NAME_PARTICLES, is_country, word_map, words
from newsents.resolve.names import canonical_key
from newsents.resolve.patterns import Caseless, any_of

# The first sport named in the opening of a report decides what it is about.
_SPORT = re.compile(
    r"\b(soccer|football|cricket|rugby union|rugby league|rugby|baseball|basketball|"
    r"ice hockey|hockey|volleyball|handball|water polo|netball|tennis|golf|athletics|cycling|"
    r"boxing|squash|motor racing|horse racing|swimming|skiing|badminton|snooker|judo)\b",
    re.IGNORECASE,
)
TEAM_SPORTS = words("team_sports")
_SAME_SPORT = {"soccer": "football", "rugby union": "rugby"}
OPENING_CHARS = 300  # headline, dateline and lead
# A sport named in the opening counts as this many of its words; a report needs this many.
OPENING_SPORT = 3
SPORT_EVIDENCE = 3
_SPORT_TERMS = word_map("sport_terms")
_TERM = Caseless(r"(?<![\w-])(?:" + any_of(_SPORT_TERMS) + r")(?![\w-])")

_SCORE_AFTER = re.compile(r"\s+(?!(?:19|20)\d\d\b)\d{1,3}(?:-\d{1,3})?(?:\s|,|\.|;|\)|$)")
_PLAYS_AFTER = re.compile(
    r"\s+(?:beat|beats|defeated|drew with|drew|lost to|edged|thrashed|routed|v|vs|v\.|vs\.|"
    r"(?-i:AT)|face|faces|play|plays|meet|meets)\s",
    re.IGNORECASE,
)
_PLAYED_BEFORE = re.compile(
    r"(?:\bbeat|\bbeats|\bdefeated|\bdrew with|\blost to|\bv|\bvs|\bv\.|\bvs\.|(?-i:\bAT)|"
    r"\bagainst)\s+$",
    re.IGNORECASE,
)
_TEAM_ROLE_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:(?:"
    + "|".join(map(re.escape, sorted(words("team_role_modifiers"))))
    + r")\s+)?(?:"
    + "|".join(map(re.escape, sorted(words("team_roles"), key=lambda w: (-len(w), w))))
    + r")\b",
    re.IGNORECASE,
)
_LINE_UP_OPENING = re.compile(r"(?:Teams?:)?")
_LINE_UP_AFTER = re.compile(r"[ \t]*(?::|-|\n|$)")
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|across|throughout|into|of|near|outside|visit|visited|visiting|"
    r"toured|tour of)\s+$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(?:'s|’s)\s+(?:[a-z][\w-]*\s+){0,3}")
_ADDRESS_BEFORE = re.compile(r"[A-Z][\w.'’]*,\s+$")


@functools.lru_cache(maxsize=8)
def report_sport(text: str) -> str | None:
    """The sport a report is about, decided from the whole article: the words only one sport
    uses (words/sport_terms.txt) counted over its text, and the sport its opening names
    (counting `OPENING_SPORT` words). None for other news, and when the count is too low or
    two sports come close: a politics story that mentions football is no match report."""
    votes: Counter[str] = Counter(_SPORT_TERMS[m.group(0).casefold()] for m in _TERM.finditer(text))
    named = _SPORT.search(text[:OPENING_CHARS])
    if named is not None:
        sport = named.group(1).casefold()
        votes[_SAME_SPORT.get(sport, sport)] += OPENING_SPORT
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < SPORT_EVIDENCE:
        return None
    if len(ranked) == 2 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def team_sport(text: str) -> str | None:
    """The team sport a report is about (report_sport); None for other reports."""
    sport = report_sport(text)
    return sport if sport in TEAM_SPORTS else None


# `1 - Marta Ilvesky (Estonia) beat Dana Korvath (Slovakia) 6-4`: up to four capitalised words
# (initials allowed) right before a country in brackets.
_PLAYER_BEFORE_COUNTRY = re.compile(
    r"(?<![\w.'’-])((?:[A-Z][\w'’.-]*[ \t]+){0,3}[A-Z][\w'’-]*[a-z][\w'’-]*)"
    r"[ \t]*\(([^()\n]{2,30})\)"
)


def players_with_nationality(text: str) -> list[tuple[int, int]]:
    """In a report on an individual sport, the people its results name with their country in
    brackets (`Marta Ilvesky (Estonia)`): spans the model often misses in a line of results."""
    sport = report_sport(text)
    if sport is None or sport in TEAM_SPORTS:
        return []
    return [
        match.span(1)
        for match in _PLAYER_BEFORE_COUNTRY.finditer(text)
        if is_country(canonical_key(match.group(2)))
    ]


def plays_as_side(text: str, start: int, end: int) -> bool:
    """The name plays a match, holds a team role or heads a line-up."""
    after = text[end : end + 40]
    before = text[max(0, start - 16) : start]
    return bool(
        _SCORE_AFTER.match(after)
        or _PLAYS_AFTER.match(after)
        or _PLAYED_BEFORE.search(before)
        or _TEAM_ROLE_AFTER.match(after)
        or _heads_line_up(text, start, end)
    )


def in_a_result(text: str, start: int, end: int) -> bool:
    """A name with a score after it, or on either side of a match (`Kent 312-6`,
    `Kent beat Essex`, `CHICAGO AT BOSTON`)."""
    after = text[end : end + 40]
    before = text[max(0, start - 16) : start]
    return bool(
        _SCORE_AFTER.match(after) or _PLAYS_AFTER.match(after) or _PLAYED_BEFORE.search(before)
    )


def in_a_match_or_team_role(text: str, start: int, end: int, key: str) -> bool:
    """A lone name (not a country's) in a match or before a team role (`Kent beat Essex`,
    `Kent captain Owen Fairbrook`): a side, wherever the model took it for a person."""
    if is_country(key):
        return False
    after = text[end : end + 40]
    before = text[max(0, start - 16) : start]
    return bool(
        _PLAYS_AFTER.match(after) or _PLAYED_BEFORE.search(before) or _TEAM_ROLE_AFTER.match(after)
    )


def _heads_line_up(text: str, start: int, end: int) -> bool:
    """`Austria: Lukas Brandauer, ...` or a scoreboard's `England` alone on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = text[line_start:start].strip()
    return bool(_LINE_UP_OPENING.fullmatch(opening) and _LINE_UP_AFTER.match(text, end))


def names_the_place(
    text: str, start: int, end: int, *, in_dateline: bool, person_starts: set[int]
) -> bool:
    """The text says this mention is the place itself, not its team."""
    if in_dateline:
        return True
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True  # a nationality: `Hugo Lemaire (France)`
    before = text[max(0, start - 30) : start]
    if _PLACE_BEFORE.search(before[-20:]):
        return True
    possessive = _POSSESSIVE.match(text, end, end + 60)
    if possessive and possessive.end() in person_starts:
        return True  # `Brazil's Caio Moreira`
    return bool(_ADDRESS_BEFORE.search(before)) and not any(ch.isdigit() for ch in before)


def side_name(name: str, sport: str) -> str:
    """How a side is called in the graph: `England (cricket team)`."""
    return f"{name} ({sport} team)"


# A side's name in a table: capitalised words, with `of`, `and` or `&` between them
# (`Heart of Fenwick`, `King's Lynn`, `St Aldhelm`, `NEW YORK`).
_SIDE = r"[A-Z][\w'’.&-]*(?:[ \t]+(?:(?:of|and|&)[ \t]+)?[A-Z][\w'’.&-]*){0,3}"
# `Ashford 5 4 1 0 11 3 13`, `DETROIT 61 48 .560 -`: a standings row.
_STANDINGS_ROW = re.compile(
    rf"^[ \t]*({_SIDE})(?:[ \t]+(?:-?\d[\d.,/]*|\.\d+|-)){{2,}}[ \t]*$", re.MULTILINE
)
# `Harlow Town 2 Lydford 1`, `North Camden v Dunmore`: a result or a fixture.
_RESULT_ROW = re.compile(
    rf"^[ \t]*(?:[A-Z][a-z]+:[ \t]+)?({_SIDE})[ \t]+(?:\d{{1,3}}|v|vs)[ \t]+({_SIDE})"
    rf"(?:[ \t]+\d{{1,3}})?(?:[ \t]*[,.(]|[ \t]*$)",
    re.MULTILINE,
)


def sides_in_tables(text: str) -> list[tuple[int, int]]:
    """In a report on a team sport, the sides its tables name: the first words of a standings
    row and the two sides of a result line. The model misses many of them (`Ashford`, `Lydford`);
    in such a line a name can only be a side."""
    if team_sport(text) is None:
        return []
    found = [m.span(1) for m in _STANDINGS_ROW.finditer(text)]
    for row in _RESULT_ROW.finditer(text):
        found += [row.span(1), row.span(2)]
    return sorted(set(found))


# A player's name in a line-up or scorecard: capitalised words, initials, and the particles of
# surnames (`Jaco van der Linde`, `M. de Lanerolle`, `Tariq-ul-Hassan`).
_PARTICLE = "|".join(sorted(NAME_PARTICLES, key=lambda p: (-len(p), p)))
_PLAYER = rf"[A-Z][\w'’.-]*(?:[ \t]+(?:(?:{_PARTICLE})[ \t]+)*[A-Z][\w'’-]*){{0,3}}"
# `15 - Thabo Mokoena, 14 - Ruan Steenkamp`: a numbered player.
_NUMBERED_PLAYER = re.compile(rf"(?<![\w.-])\d{{1,2}}[ \t]*-[ \t]*({_PLAYER})")
# `Wian de Klerk (35th minute)`, `Sipho Ndlovu (70th)`: a scorer and the minute.
_SCORER = re.compile(rf"({_PLAYER})[ \t]*\([ \t]*\d{{1,3}}(?:st|nd|rd|th)\b")
# A cricket scorecard: `D. Harrowby c Weerasekara b Mendaki 27`, `K. Ashworth not out 58`.
_BATSMAN = re.compile(
    rf"^[ \t]*(?P<bat>{_PLAYER})[ \t]+(?:run out|not out|retired hurt|lbw b (?P<lbw>{_PLAYER})|"
    rf"b (?P<bowled>{_PLAYER})|c and b (?P<caught_bowled>{_PLAYER})|"
    rf"(?:c|st) (?P<fielder>{_PLAYER}) b (?P<bowler>{_PLAYER}))[ \t]+\d+[ \t]*$",
    re.MULTILINE,
)
# `Bowling: Gunatilleke 8-1-33-2, de Lanerolle 5-0-21-1`: a bowler and the figures.
_BOWLER = re.compile(rf"((?:(?:de|van|du)[ \t]+)?{_PLAYER})[ \t]+\d{{1,2}}(?:\.\d)?-\d+-\d+-\d+")
LINE_UP_ENTRIES = 3  # numbered players a line needs to be a line-up


def players_in_line_ups(text: str) -> list[tuple[int, int]]:
    """In a report on a team sport, the people its line-ups, scorers and scorecards name: a
    numbered player in a line of three or more, a scorer before the minute, a batsman, fielder
    or bowler. The model misses most of them in such lines."""
    if team_sport(text) is None:
        return []
    found: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        numbered = list(_NUMBERED_PLAYER.finditer(text, line.start(), line.end()))
        if len(numbered) >= LINE_UP_ENTRIES:
            found += [m.span(1) for m in numbered]
    found += [m.span(1) for m in _SCORER.finditer(text)]
    for row in _BATSMAN.finditer(text):
        found += [row.span(g) for g in row.groupdict() if row.group(g)]
    found += [m.span(1) for m in _BOWLER.finditer(text)]
    return sorted({span for span in found if not is_country(canonical_key(text[slice(*span)]))})
