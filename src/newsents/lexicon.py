"""The word lists the rules need, read once each from package data (`newsents/words/*.txt`),
and the questions asked of them: is this a country, a people, a name at all.

A list file has one entry per line (`#` starts a comment); a map file has `key = value` lines.
Entries are casefolded, or canonical keys where the list says so (names.canonical_key). Adding
a word to a rule means adding a line to its file.

National sides are called by their country's name and stay places (`Japan beat Syria`); clubs
and county sides named after a place are organisations (`Leicestershire beat Somerset`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

WORDS_DIR = Path(__file__).parent / "words"


@functools.cache
def words(name: str) -> frozenset[str]:
    """The entries of words/NAME.txt."""
    return frozenset(_entries(name))


@functools.cache
def word_map(name: str) -> dict[str, str]:
    """The `key = value` entries of words/NAME.txt, in file order."""
    pairs = (entry.split("=", 1) for entry in _entries(name))
    return {key.strip(): value.strip() for key, value in pairs}


def _entries(name: str) -> list[str]:
    lines = (WORDS_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


COUNTRIES = words("countries")
DEMONYMS = words("demonyms")
COUNTRY_ALIASES = word_map("country_aliases")
NOT_NAMES = words("not_names")
ORGANIZATION_ALIASES = word_map("organization_aliases")
NAME_PARTICLES = words("name_particles")
MONTHS = {name: int(number) for name, number in word_map("months").items()}


def is_country(key: str) -> bool:
    """`key` is a canonical key (see names.canonical_key)."""
    return key in COUNTRIES


# What a people or nation is called: the model's NORP, never a person, organisation or place
# (`Dutch`, `a Briton`, `Azeris`). Adjectives and singular nouns; `is_demonym` adds plurals.


def is_demonym(name: str) -> bool:
    """`Dutch`, `Briton`, `Azeris`: a people, not one of the named things newsents keeps."""
    key = name.casefold()
    return key in DEMONYMS or (key.endswith("s") and key[:-1] in DEMONYMS)


# Other names of one country: `America` and `U.S.` are the `United States`, `Holland` the
# `Netherlands`. Keys are canonical keys (names.canonical_key).


def country_key(key: str) -> str:
    """The key of the country's main name: `america` → `united states`; other keys as given."""
    return COUNTRY_ALIASES.get(key, key)


# Names that are never a person, an organisation or a place, whatever label the model gives
# them: diseases and their agents (news capitalises `COVID-19`, `Ebola`), and processes named
# like a proper noun (`Brexit`). Neither the CoNLL nor the OntoNotes guidelines annotate them as
# PER/ORG/LOC. Keys are canonical keys (names.canonical_key).


def organization_key(key: str) -> str:
    """The key of an organisation's main name: `tories` → `conservatives`; others as given."""
    return ORGANIZATION_ALIASES.get(key, key)


WEEKDAYS = {name: int(number) for name, number in word_map("weekdays").items()}


def is_calendar_word(name: str) -> bool:
    """`November`, `Saturday`: a month's or a day's name alone is a date, never an organisation
    or a place (a person may be called `May`)."""
    key = name.casefold()
    # Full names only: `Sun` the newspaper and `Jan` the person are no calendar words.
    return key in _FULL_CALENDAR_WORDS


_FULL_CALENDAR_WORDS = frozenset(
    {"january", "february", "march", "april", "june", "july", "august", "september"}
    | {"october", "november", "december", "monday", "tuesday", "wednesday", "thursday"}
    | {"friday", "saturday", "sunday"}
)


PRODUCTS = words("products")
MARKET_INDICES = words("market_indices")


def is_not_a_name(key: str) -> bool:
    """`COVID-19`, `Ebola`, `Brexit`, `Xbox`, `FTSE 100`: no person, organisation or place
    (keys as in NOT_NAMES, PRODUCTS and MARKET_INDICES)."""
    return key in NOT_NAMES or key in PRODUCTS or key in MARKET_INDICES


EVENTS = words("events")
EVENT_HEADS = words("event_heads")


def is_event_name(name: str) -> bool:
    """`Oscars`, `World Cup`, `Nobel Prize`, `US Open`: an award or an event (CoNLL's MISC),
    no person, organisation or place."""
    words_ = name.split()
    key = " ".join(words_).casefold()
    if key in EVENTS:
        return True
    if len(words_) < 2:
        return False
    last = words_[-1].casefold()
    if last == "open":
        before = " ".join(words_[:-1]).casefold().replace(".", "")
        return before in COUNTRIES or is_demonym(before)
    return last in EVENT_HEADS


_LAW_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\s+)+Act$")


def is_law_name(name: str) -> bool:
    """`Affordable Care Act`, `Patriot Act`: a law (CoNLL's MISC, OntoNotes' LAW), not an
    organisation."""
    return bool(_LAW_NAME.match(name))
