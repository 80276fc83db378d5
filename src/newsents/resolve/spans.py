"""From what the model said to an article's mention spans: the first stage of resolution.

The model's entity spans are split where a name cannot run on (a spaced dash, a table line),
dates are found by rule (dates.py) beside the model's, and the loader's metadata adds its own
mentions: authors of a byline, the place of a wire dateline, and, in team-sport reports only,
the players and sides of results tables (sports.py). Sentences are spaCy's, cut at block edges.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from newsents.lexicon import NAME_PARTICLES, is_country, words
from newsents.load import text_for_nlp
from newsents.models import (
    MENTION_SECTIONS,
    ArticleAnalysis,
    LoadedArticle,
    ModelOutput,
    Sentence,
)
from newsents.resolve.article import RawMention, resolve_article
from newsents.resolve.dates import find_date_spans
from newsents.resolve.names import canonical_key, ends_a_line_that_is_not_prose
from newsents.resolve.sports import (
    players_in_line_ups,
    players_with_nationality,
    sides_in_tables,
)


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    section: str


def analyse_article(
    loaded: LoadedArticle, output: ModelOutput, model_text: str | None = None
) -> ArticleAnalysis:
    """An article's sentences and resolved mentions, from the model's output for its text
    (`model_text`, `text_for_nlp`, when the caller has it at hand).
    An article written in another script than the Latin one gets none from the model (an
    English model reads Cyrillic or Chinese as noise): only what its metadata names."""
    sentences = split_sentences(output, loaded)
    starts = [s.start for s in sentences]
    text = text_for_nlp(loaded) if model_text is None else model_text
    spans = [] if other_script(text) else _nicknamed_people_joined(output.ents, text)
    spans = _with_hyphenated_given_names(spans, text)
    spans = _through_surname_particles(spans, text)
    spans = _cut_at_block_ends(spans, loaded)
    raw = [
        _raw_mention(start, end, label, sentences, starts)
        for ent_start, ent_end, label in spans
        if label != "DATE"
        for start, end in _split_at_spaced_dashes(loaded.text, ent_start, ent_end)
    ]
    raw += [
        _raw_mention(start, end, "DATE", sentences, starts)
        for start, end in find_date_spans(text, spans)
    ]
    found = [m for m in raw if m is not None] + _byline_mentions(loaded, sentences, starts)
    datelines = _dateline_mentions(loaded, sentences, starts)
    found = _with_precedence(found, datelines)
    found = _with_precedence(found, _player_mentions(loaded.text, sentences, starts))
    found = _with_precedence(found, _table_side_mentions(loaded.text, sentences, starts))
    mentions = resolve_article(
        found,
        loaded.text,
        sentences,
        anchor=publication_date(loaded.article.published),
    )
    return ArticleAnalysis(
        article=loaded.article,
        text=loaded.text,
        blocks=loaded.blocks,
        sentences=sentences,
        mentions=mentions,
    )


def _cut_at_block_ends(
    spans: list[tuple[int, int, str]], loaded: LoadedArticle
) -> list[tuple[int, int, str]]:
    """Each span ends where its block does, when the next block goes on in the same line: the
    model reads a caption and its credit as one text (`…in Lima Image: Ana Ruiz`). A name run
    on into the next line is left to the resolver (names.py), which knows headings."""
    starts = [b.start for b in loaded.blocks]
    cut = []
    for start, end, label in spans:
        i = bisect.bisect_right(starts, start) - 1
        block_end = loaded.blocks[i].end if i >= 0 else end
        if start < block_end < end and "\n" not in loaded.text[block_end:end]:
            end = start + len(loaded.text[start:block_end].rstrip())
        cut.append((start, end, label))
    return cut


# A person's name the model ended before a surname's particle in lower case and the surname
# (`Erik` for `Erik ten Hag`, `Reema` and `Bandar` for `Reema bint Bandar`).
_PARTICLE_AND_SURNAME = re.compile(
    r"[ \t]+(?P<particle>[a-z]+)[ \t]+[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?(?![\w'’-])"
)


# Not `do` (`How did Biden do Monday?`) nor `y` (`Pedro y Juan`, two people).
_JOINING_PARTICLES = NAME_PARTICLES - {"do", "y"}


def _through_surname_particles(
    spans: list[tuple[int, int, str]], text: str
) -> list[tuple[int, int, str]]:
    """A person's span runs on over a lower-case particle of words/name_particles.txt and the
    capitalised words after it; a span of the model inside what it now covers is part of it."""
    joined: list[tuple[int, int, str]] = []
    covered = -1
    for start, end, label in sorted(spans):
        if start < covered:
            continue  # inside the name just extended
        after = _PARTICLE_AND_SURNAME.match(text, end) if label == "PERSON" else None
        if after is not None and after["particle"] in _JOINING_PARTICLES:
            end = covered = after.end()
        joined.append((start, end, label))
    return joined


# A person's name that the model ended at a hyphen inside its last word: a Korean or
# Cantonese given name of two syllables, the second in lower case (`Moon Jae-in`, `Wong
# Yeung-tat`). Not a compound of a name and an English word (`the Obama-era rules`,
# `a Trump-backed candidate`): the name has two words or more, its last a short syllable.
_GIVEN_NAME_SYLLABLE = re.compile(r"(?<=\s)[A-Z][a-z]{1,4}$")
_LOWER_SYLLABLE_AFTER = re.compile(r"-([a-z]{1,5})\b(?!-)")
_COMPOUND_HEADS = words("hyphen_compound_heads")


def _with_hyphenated_given_names(
    spans: list[tuple[int, int, str]], text: str
) -> list[tuple[int, int, str]]:
    joined = []
    for start, end, label in spans:
        after = _LOWER_SYLLABLE_AFTER.match(text, end) if label == "PERSON" else None
        if (
            after is not None
            and after.group(1) not in _COMPOUND_HEADS
            and _GIVEN_NAME_SYLLABLE.search(text, start, end) is not None
        ):
            end = after.end()
        joined.append((start, end, label))
    return joined


# Between a person's given name and surname, a nickname in quotes of up to four words, with
# no sentence punctuation in it (quoted speech has some: `“I did it”`, `"Run!"`).
_NICKNAME_WORD = r"[^\s\"“”‘’!?.,;:]+"
_NICKNAME_GAP = re.compile(rf"[ \t]+[\"“‘]{_NICKNAME_WORD}(?: {_NICKNAME_WORD}){{0,3}}[\"”’][ \t]+")


def _nicknamed_people_joined(
    ents: list[tuple[int, int, str]], text: str
) -> list[tuple[int, int, str]]:
    """`Robin “ropz” Kool`, `Hector "Macho" Camacho`: the model often tags the given name and
    the surname as two people (and the nickname as a third name); they are one person. Only
    a one-word given name and a surname of one or two words: `Boris Johnson ‘to sack’
    Michael Gove` is two people and a quotation."""
    starts = {start: (end, label) for start, end, label in ents}
    joined: list[tuple[int, int, str]] = []
    covered = -1  # where the last joined span ends: spans before it are inside it
    for start, end, label in sorted(ents):
        if start < covered:
            continue
        surname_end = _surname_after_nickname(start, end, label, text, starts)
        if surname_end is not None:
            joined.append((start, surname_end, "PERSON"))
            covered = surname_end
            continue
        joined.append((start, end, label))
    return joined


def _surname_after_nickname(
    start: int, end: int, label: str, text: str, starts: dict[int, tuple[int, str]]
) -> int | None:
    """Where the surname ends, if a one-word given name is followed by a quoted nickname and
    a person's name of one or two words."""
    if label != "PERSON" or len(text[start:end].split()) != 1:
        return None
    gap = _NICKNAME_GAP.match(text, end)
    surname = starts.get(gap.end()) if gap else None
    if gap is None or surname is None or surname[1] != "PERSON":
        return None
    if not _reads_as_a_nickname(gap.group(0).strip()[1:-1].split()):
        return None
    return surname[0] if len(text[gap.end() : surname[0]].split()) <= 2 else None


def _reads_as_a_nickname(words: list[str]) -> bool:
    """One word (`ropz`, `Macho`), or capitalised words and joiners (`Hands of Stone`): not a
    quoted clause (`I did it`)."""
    return len(words) == 1 or all(w[0].isupper() or w in _NICKNAME_JOINERS for w in words)


_NICKNAME_JOINERS = frozenset({"of", "the", "and", "de", "la", "el"})


# Letters of no Latin script (ASCII, Latin-1, Latin Extended-A and -B, Latin Extended
# Additional); a text needs this many letters before its script is judged.
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_LETTER = re.compile(r"[^\W\d_]")
SCRIPT_LETTERS = 50


def other_script(text: str) -> str | None:
    """The script most of the text's letters are written in when it is not the Latin one
    (`Cyrillic`, `CJK`, `Arabic`); None for a text mostly in Latin letters, or too short to
    tell. English quoting a Russian name stays English."""
    if text.isascii():
        return None
    foreign = _NON_LATIN.findall(text)
    # Most of at least SCRIPT_LETTERS letters: more than half of them, so more than this.
    if 2 * len(foreign) <= SCRIPT_LETTERS:
        return None
    letters = len(_LETTER.findall(text))
    if letters < SCRIPT_LETTERS or 2 * len(foreign) <= letters:
        return None
    import unicodedata

    scripts: dict[str, int] = {}
    for letter in foreign[:: max(1, len(foreign) // 500)]:  # a sample is enough to name it
        script = unicodedata.name(letter, "OTHER").split()[0]
        scripts[script] = scripts.get(script, 0) + 1
    named = max(sorted(scripts), key=lambda k: scripts[k])
    return named if named.isupper() and len(named) <= 3 else named.capitalize()


def publication_date(published: str | None) -> dt.date | None:
    """The article's publication date, the anchor for relative dates (never today)."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def split_sentences(output: ModelOutput, loaded: LoadedArticle) -> list[Sentence]:
    """spaCy's sentences cut at block edges, so no sentence spans a title and a paragraph."""
    regions = [
        _Region(b.start, b.end, b.section)
        for b in loaded.blocks
        if b.section in MENTION_SECTIONS and b.section != "byline"
    ]
    # The model never sees a byline, so each byline line is a sentence of its own.
    pieces: list[tuple[int, int, str]] = [
        (b.start, b.end, b.section) for b in loaded.blocks if b.section == "byline"
    ]
    regions.sort(key=lambda r: r.start)
    region_ends = [r.end for r in regions]  # blocks do not overlap: sorted as the starts are
    for sent_start, sent_end in output.sents:
        # Only the blocks the sentence overlaps, found by bisection: linear in the article.
        for i in range(bisect.bisect_right(region_ends, sent_start), len(regions)):
            region = regions[i]
            if region.start >= sent_end:
                break
            start, end = max(sent_start, region.start), min(sent_end, region.end)
            piece = loaded.text[start:end]
            if not piece.strip():
                continue
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            pieces.append((start, end, region.section))
    pieces.sort(key=lambda piece: piece[0])
    return [
        Sentence(index=i, start=start, end=end, section=section)
        for i, (start, end, section) in enumerate(pieces)
    ]


def _sentence_at(offset: int, sentences: list[Sentence], starts: list[int]) -> Sentence | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i]
    return None


def _raw_mention(
    start: int, end: int, label: str, sentences: list[Sentence], starts: list[int]
) -> RawMention | None:
    sentence = _sentence_at(start, sentences, starts)
    if sentence is None:
        return None
    return RawMention(
        start=start, end=end, label=label, section=sentence.section, sentence=sentence.index
    )


def _byline_mentions(
    loaded: LoadedArticle, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """Each author named in a byline is a person mention (the model never sees bylines)."""
    found: list[RawMention] = []
    for block in loaded.blocks:
        if block.section != "byline":
            continue
        for author in loaded.article.authors:
            at = block.text.find(author)
            if at < 0:
                continue
            start = block.start + at
            found.append(
                RawMention(
                    start=start,
                    end=start + len(author),
                    label="BYLINE",
                    section="byline",
                    sentence=_sentence_index(start, sentences, starts),
                )
            )
    return found


# A blank line (a name may wrap onto the next line, never into the next paragraph), a dash or
# a number between spaces, a bracket opening after a space (`Group of Seven (G7)`: a name and
# its short form), or a comma before a capitalised word that is not a company suffix
# (`Wickrama 3 T. Bellamy` in a scorecard is two names).
_NAME_SEPARATOR = re.compile(
    r"(?<![ \t])[ \t]*\n[ \t]*\n\s*|(?<!\s)\s+[-–—]+\s+|(?<!\s)\s+\d+\s+|(?<!\s)\s+\("
    r"|,\s+(?=[A-Z])(?!(?:Inc|Ltd|LLC|Plc|PLC|Jr|Sr|Co|Corp|S\.?A|N\.?V|AG)\b)"
    r"|(?<![ \t])(?P<wrap>[ \t]*\n[ \t]*)"
)

# A character every separator holds.
_SEPARATOR_PART = re.compile(r"[\n,\d\-–—(]")


def _split_at_spaced_dashes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`Portugal - Ruben Valcarce`, `Hollow Lane, Somerset`: two names, not one. So are
    the lines of a table or heading (`NORTH CONFERENCE` / `DETROIT`, `Coastal League` /
    `DENVER`); a name wraps only across lines of prose."""
    if _SEPARATOR_PART.search(text, start, end) is None:
        return [(start, end)] if end > start else []  # nearly every span: one search in C
    return _split_at_separators(text, start, end)


def _split_at_separators(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, at = [], start
    for gap in _NAME_SEPARATOR.finditer(text, start, end):
        if gap.group("wrap") and not ends_a_line_that_is_not_prose(text, gap.start()):
            continue  # prose that wraps onto the next line
        parts.append((at, gap.start()))
        at = gap.end()
    parts.append((at, end))
    return [_without_closing_bracket(text, s, e) for s, e in parts if e > s]


def _without_closing_bracket(text: str, start: int, end: int) -> tuple[int, int]:
    """`G7)` after a bracket opened: the short form ends before the bracket closes."""
    if text.endswith(")", start, end) and "(" not in text[start:end]:
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _dateline_mentions(
    loaded: LoadedArticle, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """The place of a wire dateline (`KHOROG, Tajikistan 2024-03-12`) is a place by
    definition, whether or not the model sees it in a line of capitals and digits."""
    place = loaded.article.dateline
    if not place:
        return []
    for block in loaded.blocks:
        if block.section in ("dateline", "body") and block.text.startswith(place):
            return [
                RawMention(
                    start=block.start + part.start(),
                    end=block.start + part.end(),
                    label="GPE",
                    section=block.section,
                    sentence=_sentence_index(block.start + part.start(), sentences, starts),
                )
                for part in re.finditer(r"[^,/\s(][^,/(]*[^,/\s(]|[^,/\s(]", place)
            ]
    return []


def _player_mentions(text: str, sentences: list[Sentence], starts: list[int]) -> list[RawMention]:
    """People named in sports results (sports.py): with their country in an individual sport,
    in the line-ups, scorers and scorecards of a team sport."""
    spans = players_with_nationality(text) + players_in_line_ups(text)
    found = [_raw_mention(start, end, "PERSON", sentences, starts) for start, end in spans]
    return [m for m in found if m is not None and m.section == "body"]


def _table_side_mentions(
    text: str, sentences: list[Sentence], starts: list[int]
) -> list[RawMention]:
    """Sides in the standings and results of a team sport (sports.py): a club is an
    organisation, a national side keeps its country's label."""
    found = [
        _raw_mention(start, end, _side_label(text[start:end]), sentences, starts)
        for start, end in sides_in_tables(text)
    ]
    return [m for m in found if m is not None and m.section == "body"]


def _side_label(name: str) -> str:
    return "GPE" if is_country(canonical_key(name)) else "ORG"


def _with_precedence(found: list[RawMention], preferred: list[RawMention]) -> list[RawMention]:
    """`preferred` spans replace the spans they overlap."""
    if not preferred:
        return found
    return [m for m in found if not _overlaps_any(m, preferred)] + preferred


def _overlaps_any(mention: RawMention, others: list[RawMention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)


def _sentence_index(offset: int, sentences: list[Sentence], starts: list[int]) -> int:
    sentence = _sentence_at(offset, sentences, starts)
    return sentence.index if sentence else 0
