"""Clean a span into a name: no determiner, no possessive, no honorific or job title.

Word lists here are English grammar and news convention (titles, organisation heads, the
nouns that introduce a company), not names of anything in particular.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from cleanco import basename as _without_legal_form
from cleanco import prepare_default_terms

from newsents.lexicon import is_demonym, words

# Titles that are never given names: stripped even when one word of name remains (Mr Blair).
TITLES = words("titles")
# Honorifics: a person follows, whatever the model said (`Mr Ebbers` tagged ORG).
HONORIFICS = words("honorifics")
# Words that are titles but also common given names or surnames (Dean Kamen, Prince Fielder):
# stripped only when at least two words of name remain after them.
AMBIGUOUS_TITLES = words("ambiguous_titles")
# Words that qualify a title: `Executive Dean`, `Vice President`, `former Prime Minister`.
TITLE_MODIFIERS = words("title_modifiers")

_QUOTES = "\"'“”‘’«»‹›„‚`"
_EDGE_PUNCT = _QUOTES + "()[]{}<>,;:!?*•·|/\\–—-_ "
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_INNER_POSSESSIVE = re.compile(r"['’]s\s")
_SPACES = re.compile(r"\s+")
_ASCII_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class CleanName:
    """A clean name and where it lies in the span it came from."""

    name: str
    start: int  # offset of the name in the span text
    end: int
    titles: list[str] = field(default_factory=list)
    dropped_the: bool = False
    cut_at_possessive: bool = False


def title_key(word: str) -> str:
    return word.strip(".,").casefold()


def is_title_word(word: str) -> bool:
    key = title_key(word)
    return key in TITLES or key in TITLE_MODIFIERS


def titles_before(text: str, start: int, *, most: int = 4) -> list[str]:
    """The title words just before a span on its line (`Executive Dean` before `Helen Hai`):
    a model trained on CoNLL leaves titles out of the names it finds."""
    titles: list[str] = []
    at = start
    while len(titles) < most:
        found = word_on_the_line_before(text, max(0, at - 40), at)
        if found is None:
            break
        word_start, word = found
        if not (is_title_word(word) or title_key(word) in AMBIGUOUS_TITLES):
            break
        titles.insert(0, word)
        at = word_start
    # a modifier alone (`former`, `acting`) is no title
    keys = [title_key(t) for t in titles]
    return titles if any(k in TITLES or k in AMBIGUOUS_TITLES for k in keys) else []


# The words before a span are read backwards from it: the patterns they match,
# `([^\W\d][\w.'’-]*)[ \t]+$` and `([A-Za-z][\w.'’-]*)\s+$`, anchored at their end, make `re`
# try every place of the text before them (a tenth of the article rules' time).


def _word_part(ch: str) -> bool:
    r"""What `[\w.'’-]` matches."""
    return ch.isalnum() or ch in "_.'’-"


def _word_start(text: str, lo: int, end: int) -> int:
    """Where the run of word parts (`_word_part`) that ends at `end` begins, not before lo."""
    start = end
    while start > lo and _word_part(text[start - 1]):
        start -= 1
    return start


def word_on_the_line_before(text: str, lo: int, at: int) -> tuple[int, str] | None:
    r"""(start, word) of the word that ends, before spaces or tabs, at `at` (or at a line break
    there) in text[lo:at], from its first letter or `_`: what the pattern
    `([^\W\d][\w.'’-]*)[ \t]+$` finds searching text[lo:at]; None if nothing."""
    end = at - 1 if at > lo and text[at - 1] == "\n" else at
    stop = end
    while stop > lo and text[stop - 1] in " \t":
        stop -= 1
    if stop == end:
        return None
    for k in range(_word_start(text, lo, stop), stop):
        if (text[k].isalnum() or text[k] == "_") and not text[k].isdecimal():
            return k, text[k:stop]
    return None


_ASCII_LETTERS = frozenset(string.ascii_letters)


# Prose wrapped to a width fills its lines; a shorter line is a heading, a table row or the
# last line of a paragraph, and a name does not run on from it.
WRAPPED_LINE_CHARS = 40


def ends_a_line_that_is_not_prose(text: str, end: int) -> bool:
    """Whether the line ending at `end` (a line break) is a heading, a table row or a
    paragraph's last line, not prose wrapped to a width."""
    line = text[text.rfind("\n", 0, end) + 1 : end]
    if len(line) < WRAPPED_LINE_CHARS:
        return True
    return any(ch.isupper() for ch in line) and not any(ch.islower() for ch in line)


def word_before(window: str) -> tuple[int, str] | None:
    r"""(start, word) of the last word of `window` when white space follows it to the end, from
    its first ASCII letter: what the pattern `([A-Za-z][\w.'’-]*)\s+$` finds; None if nothing."""
    stop = len(window.rstrip())
    if stop == len(window):
        return None
    for k in range(_word_start(window, 0, stop), stop):
        if window[k] in _ASCII_LETTERS:
            return k, window[k:stop]
    return None


def clean_span(span_text: str, *, strip_titles: bool, cut_possessive: bool = True) -> CleanName:
    """Find the name inside a span; `strip_titles` for spans that may be persons (others
    lose only honorifics such as `Mr`, which never begin a company's or a place's name);
    `cut_possessive`: a possessive inside it ends the name (`Binance’s Blockchain`)."""
    start, end = 0, len(span_text)
    start, end = _strip_edges(span_text, start, end)
    dropped_the = False
    if span_text[start:end].casefold().startswith("the "):
        start, dropped_the = start + 4, True
        start, end = _strip_edges(span_text, start, end)
    cut_end = _cut_inner_possessive(span_text, start, end) if cut_possessive else end
    cut_at_possessive = cut_end != end
    end = cut_end
    end = _strip_possessive(span_text, start, end)
    start, end = _strip_edges(span_text, start, end)
    start, end = _strip_numbers(span_text, start, end)
    end = _strip_trailing_lowercase(span_text, start, end)
    titles: list[str] = []
    start, titles = _strip_titles(span_text, start, end, HONORIFICS if not strip_titles else None)
    end = _strip_sentence_period(span_text, start, end)
    name = _SPACES.sub(" ", span_text[start:end])
    return CleanName(
        name=name,
        start=start,
        end=end,
        titles=titles,
        dropped_the=dropped_the,
        cut_at_possessive=cut_at_possessive,
    )


def clean_date_span(span_text: str) -> CleanName:
    """A date keeps its words and numbers (`Aug. 2`, `the 1990s`); only wrapping goes."""
    start, end = _strip_edges(span_text, 0, len(span_text))
    return CleanName(name=_SPACES.sub(" ", span_text[start:end]), start=start, end=end)


def clean_name(span_text: str) -> str:
    """The entity's name for a span (no titles stripped)."""
    return clean_span(span_text, strip_titles=False).name


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT or start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCT or text[end - 1].isspace()):
        end -= 1
    return start, end


# `Lithuania 2-1`, `Fergus Lindqvist 318,450` (prize money), `Dario Mendes 67th` (minute).
_TRAILING_SCORE = re.compile(r"\s+\(?\d+(?:[-–/.,]\d+)*(?:st|nd|rd|th)?\)?$")
_LEADING_SEED = re.compile(r"^\d+\s*[-–.)]\s+")


NUMBERED_HEADS = words("numbered_heads")


def goes_on_with_a_number(name: str) -> bool:
    """`BBC Radio 4`, `Channel 5`: the number is part of the name."""
    last = name.rsplit(None, 1)[-1:]
    return bool(last) and last[0].casefold() in NUMBERED_HEADS


def _strip_numbers(text: str, start: int, end: int) -> tuple[int, int]:
    """Scores and seedings around a name (`Lithuania 2-1`, `16 - Cedric Pioline`)."""
    piece = text[start:end]
    trailing = _TRAILING_SCORE.search(piece)
    if (
        trailing
        and trailing.start() > 0
        and any(c.isalpha() for c in piece[: trailing.start()])
        and not goes_on_with_a_number(piece[: trailing.start()])
    ):
        end = start + trailing.start()
    leading = _LEADING_SEED.match(text[start:end])
    if leading and any(c.isalpha() for c in text[start + leading.end() : end]):
        start += leading.end()
    return start, end


# Lower-case words that stand inside names: `Bank of England`, `Ludwig van Beethoven`.
NAME_JOINERS = words("name_joiners")


PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,5}['’]?s$")


# Particles written joined to the name by a hyphen (Arabic names): `al-Maliki`, `el-Erian`.
# Not `de-`: `de-Baathification` is a word of its own.
HYPHENATED_PARTICLES = words("hyphenated_particles")


def is_particle_name(token: str) -> bool:
    """A name written with its particle in lower case and a hyphen: `al-Maliki`, `el-Erian`."""
    particle, hyphen, rest = token.partition("-")
    return bool(hyphen) and rest[:1].isupper() and particle.casefold() in HYPHENATED_PARTICLES


def _strip_trailing_lowercase(text: str, start: int, end: int) -> int:
    """`Interfax news agency` names Interfax and `Yorkshire at Headingley` names Yorkshire:
    a lower-case word that does not join names ends the name."""
    words = list(_WORD.finditer(text, start, end))
    for i, word in enumerate(words[1:], start=1):
        token = word.group(0)
        joins = token.casefold() in NAME_JOINERS and (
            # `the` joins only after another joiner: `Daughters of the American Revolution`,
            # not `Rathbun the Scientology defector`.
            token.casefold() != "the" or words[i - 1].group(0).casefold() in NAME_JOINERS
        )
        if token[0].islower() and not joins and not is_particle_name(token):
            words = words[:i]
            break
    while len(words) > 1 and (
        (words[-1].group(0)[0].islower() and not is_particle_name(words[-1].group(0)))
        or PLURAL_ACRONYM.match(words[-1].group(0))
    ):
        words.pop()  # `Labour MPs` names Labour
    return words[-1].end() if words else end


def _strip_possessive(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    if _POSSESSIVE.search(piece) and len(piece) > 2:
        return end - 1 if piece[-1] in "'’" else end - 2
    return end


def _cut_inner_possessive(text: str, start: int, end: int) -> int:
    """`Binance’s Blockchain` names Binance: the words after a possessive are something else."""
    match = _INNER_POSSESSIVE.search(text, start, end)
    return end if match is None else match.start()


def _strip_titles(
    text: str, start: int, end: int, only: frozenset[str] | None = None
) -> tuple[int, list[str]]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    i = 0
    while i < len(words) - 1 and _strippable(text, words, i):
        if only is not None and title_key(text[slice(*words[i])]) not in only:
            break
        i += 1
    titles = [text[s:e].strip(".,") for s, e in words[:i]]
    return (words[i][0] if i else start), titles


def _strippable(text: str, words: list[tuple[int, int]], i: int) -> bool:
    word = text[slice(*words[i])]
    key = title_key(word)
    if is_demonym(word) and not word.endswith("s"):
        return len(words) - i - 1 >= 2  # `Canadian Marcus Delaney`, not `English Smith`
    if key not in TITLES and key not in TITLE_MODIFIERS:
        return False
    remaining = len(words) - i - 1
    if key in AMBIGUOUS_TITLES or key in TITLE_MODIFIERS:
        # `Dean Kamen` is a name; `Dean Helen Hai` is a dean. Modifiers need a title after them.
        if key in TITLE_MODIFIERS and key not in TITLES:
            return remaining >= 1 and _strippable(text, words, i + 1)
        return remaining >= 2
    return remaining >= 1


def _strip_sentence_period(text: str, start: int, end: int) -> int:
    """Drop a full stop that ends the sentence, keep the one of an abbreviation (U.S., Inc.)."""
    if end <= start or text[end - 1] != ".":
        return end
    last_word = text[start:end].rsplit(" ", 1)[-1]
    is_abbreviation = "." in last_word[:-1] or len(last_word) <= 4
    return end if is_abbreviation else end - 1


# `S. Korea`, `N. Ireland`: a compass initial before a capitalised name.
_COMPASS_INITIAL = re.compile(r"^([nsew])\.\s*(?=\w\w)")
_COMPASS = {"n": "north", "s": "south", "e": "east", "w": "west"}


def _expand_compass_initial(text: str) -> str:
    from newsents.lexicon import is_country

    expanded = _COMPASS_INITIAL.sub(lambda m: _COMPASS[m.group(1)] + " ", text)
    return expanded if expanded != text and is_country(expanded) else text


# cleanco's legal forms, but not the one-letter ones nor the short words that end people's and
# places' names as often as companies' (`Demba Ba`, `Amazon UK`).
_LEGAL_FORM_ENDINGS = frozenset(
    term[-1] for _, term in prepare_default_terms() if len(term[-1]) > 1
) - {"ba", "et", "ok", "uk", "us"}
_COMPANY_SUFFIXES = words("company_suffixes")


def company_base(name: str) -> str:
    """A company's name without its legal form and organisation words (cleanco's legal forms
    of every country, and words/company_suffixes.txt): `Dominion Textile Inc` and `Samsung
    Electronics Co Ltd` lose their tails, `The Boeing Company` is `The Boeing`. A name that
    would be left with no capitalised word stays as it is (`Limited`, `Group 4`)."""
    base = name
    while True:
        parts = base.split()
        if len(parts) < 2:
            return base
        last = parts[-1].casefold().strip(".,")
        if last in _COMPANY_SUFFIXES:
            shorter = " ".join(parts[:-1]).rstrip(",")
        elif last in _LEGAL_FORM_ENDINGS:
            shorter = _without_legal_form(base)
        else:
            return base
        if shorter == base or not any(ch.isupper() for ch in shorter):
            return base
        base = shorter


def company_key(name: str) -> str:
    """The canonical key of an organisation's name, without its legal form: `Dominion
    Textile Inc.` and `Dominion Textile` agree; so do `McDonald's Corp` and `McDonald`, as a
    name standing alone is read without its possessive (`McDonald's shares`)."""
    base = company_base(name)
    if base != name:
        base = _TRAILING_POSSESSIVE.sub("", base)
    return canonical_key(base)


_TRAILING_POSSESSIVE = re.compile(r"['’]s$")


_SPACED_HYPHEN = re.compile(r"\s*-\s*")


# A nickname in quotes between two words of a name: `Asger "Farlig" Jensen` is Asger Jensen.
_INNER_NICKNAME = re.compile(r'(?<=\S) +"[^"]+" +(?=\S)')


@lru_cache(maxsize=65536)
def canonical_key(name: str) -> str:
    """Case-, accent-, quote- and dot-insensitive form of a name: `U.S.` and `US` agree."""
    text = name
    if not name.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_ASCII_QUOTES).casefold()
    if '"' in text:
        text = _INNER_NICKNAME.sub(" ", text)
    text = _expand_compass_initial(text).replace(".", "")
    text = _SPACED_HYPHEN.sub("-", text)
    return _SPACES.sub(" ", text).strip()
