"""Text articles (`.txt`, `.md`) to `LoadedArticle`s: recognise their parts.

`parse_article` splits decoded text into blocks (title, byline, dateline, date, reading time,
body, caption, credit) and fills the article's metadata from them; `read_article` reads,
decodes and parses one text file; `text_for_nlp` is the text the model is shown.

Every block's offsets point into `LoadedArticle.text` (the decoded text with newlines normalised
to ``\\n``), so ``text[block.start:block.end] == block.text`` always holds. Metadata that the
text does not state stays ``None`` or empty: nothing is invented.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from newsents.errors import InputError
from newsents.lexicon import MONTHS, NAME_PARTICLES, words
from newsents.load.decode import decode
from newsents.load.files import MAX_ARTICLE_CHARS, read_bytes
from newsents.models import MENTION_SECTIONS, Article, Block, LoadedArticle, Section


def read_article(path: str, data: bytes | None = None) -> LoadedArticle:
    """Read (unless `data` is given), decode and parse one text article; ``-`` reads stdin.

    Raises InputError for a file that cannot be read or is not an article's text: empty,
    whitespace only, binary, or undecodable.
    """
    if data is None:
        data = read_bytes(path)
    text, encoding = decode(data, path)
    return parse_article(
        checked_text(text, path), path=path, article_id=content_id(data), encoding=encoding
    )


def checked_text(text: str, path: str) -> str:
    """The text, unless it cannot be an article: only whitespace, or too long."""
    if not text.strip():
        raise InputError(path, "no text (only whitespace)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            path,
            f"too long for one article: {len(text):,} characters (limit {MAX_ARTICLE_CHARS:,})",
        )
    return text


def content_id(data: bytes) -> str:
    """The article id: the first 16 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Recognising structure
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A non-blank line: its stripped text and offsets, and the paragraph it belongs to."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class _Span:
    section: Section
    start: int
    end: int
    paragraph: int


@dataclass
class _Metadata:
    """What the recognisers found, in the fields `Article` has."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    reading_time_minutes: int | None = None
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    def set_once(self, name: str, value: object) -> None:
        """Set a scalar field unless an earlier line already set it (the first one wins)."""
        if value is not None and getattr(self, name) is None:
            setattr(self, name, value)


@dataclass(frozen=True)
class _Part:
    """A recognised piece of a line: its section, offsets and the metadata it states."""

    section: Section
    start: int
    end: int
    facts: tuple[tuple[str, object], ...] = ()


def parse_article(
    text: str,
    *,
    path: str,
    article_id: str,
    encoding: str,
    start: int = 0,
    has_title: bool = True,
    title_is_stated: bool = False,
) -> LoadedArticle:
    """Split decoded article text into blocks and read the article's metadata from them.

    Newlines are normalised first (``\\r\\n`` and ``\\r`` become ``\\n``); the result is the
    returned `LoadedArticle.text`, into which all block offsets point. Lines before `start`
    (front matter, already read) are no block. With `has_title` False the first line is not
    taken for a title (a record that states none); with `title_is_stated` it is the title a
    record states, never taken for a caption.
    """
    text = normalise_newlines(text)
    lines = [line for line in _split_lines(text) if line.start >= start]
    metadata = _Metadata()
    spans: list[_Span] = []
    first_header_line = (
        _recognise_title(lines, metadata, spans, stated=title_is_stated) if has_title else 0
    )
    first_body_line = _recognise_header(lines, first_header_line, metadata, spans)
    _recognise_body(lines, first_body_line, metadata, spans)
    blocks = _blocks_from_spans(text, spans)
    metadata.captions = [block.text for block in blocks if block.section == "caption"]
    article = Article(
        id=article_id,
        path=path,
        title=metadata.title,
        authors=metadata.authors,
        published=metadata.published,
        updated=metadata.updated,
        reading_time_minutes=metadata.reading_time_minutes,
        dateline=metadata.dateline,
        captions=metadata.captions,
        credits=metadata.credits,
        encoding=encoding,
    )
    return LoadedArticle(article=article, text=text, blocks=blocks)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_lines(text: str) -> list[_Line]:
    """The non-blank lines, stripped, each with the paragraph it belongs to.

    Paragraphs are separated by blank lines; a text without any blank line between its lines
    (CoNLL-style) has one paragraph per line.
    """
    lines: list[_Line] = []
    paragraph = 0
    previous_was_blank = False
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if previous_was_blank and lines:
                paragraph += 1
            start = offset + (len(raw) - len(raw.lstrip()))
            lines.append(_Line(start, start + len(stripped), stripped, paragraph))
            previous_was_blank = False
        else:
            previous_was_blank = True
        offset += len(raw) + 1
    if lines and lines[-1].paragraph == 0 and len(lines) > 1:
        lines = [_Line(line.start, line.end, line.text, index) for index, line in enumerate(lines)]
    return lines


def _add_parts(parts: list[_Part], line: _Line, metadata: _Metadata, spans: list[_Span]) -> None:
    for part in parts:
        spans.append(_Span(part.section, part.start, part.end, line.paragraph))
        for name, value in part.facts:
            if name == "authors":
                metadata.authors.extend(value)  # type: ignore[arg-type]
            elif name == "credits":
                metadata.credits.append(value)  # type: ignore[arg-type]
            else:
                metadata.set_once(name, value)


def _whole_line(section: Section, line: _Line) -> _Span:
    return _Span(section, line.start, line.end, line.paragraph)


# --- title -----------------------------------------------------------------------------------


def _recognise_title(
    lines: list[_Line], metadata: _Metadata, spans: list[_Span], *, stated: bool
) -> int:
    """Take the first line as the title unless it is metadata, a story's first paragraph (it
    opens with a wire dateline, or the agency alone: `(Reuters) - …`, or it is a sentence
    longer than any headline) or, unless a record
    states it, a photo's caption (`FILE PHOTO: …`, or a sentence, which a headline is not,
    that a photo credit follows); return the next line's index."""
    if (
        not lines
        or _is_metadata_line(lines[0])
        or _opens_with_an_agency_dateline(lines[0].text)
        or _AGENCY_OPENER.match(lines[0].text)
        or _is_a_paragraph_of_prose(lines[0].text)
    ):
        return 0
    if not stated and (
        _is_photo_caption(lines[0].text)
        or _inline_agency_credit_parts(lines[0]) is not None
        or (
            len(lines) > 1
            and lines[0].text.endswith(".")
            and _is_caption_of(lines[0], lines[1], None)
        )
    ):
        return 0
    line = lines[0]
    heading_mark = _MARKDOWN_HEADING.match(line.text)
    start = line.start + (heading_mark.end() if heading_mark else 0)
    metadata.title = line.text[start - line.start :]
    spans.append(_Span("title", start, line.end, line.paragraph))
    return 1


_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(?=\S)")
# No headline runs this long: a first line of more words, ending as a sentence ends, is the
# story's first paragraph in a file that has no headline.
_MAX_TITLE_WORDS = 25
_ENDS_AS_A_SENTENCE = re.compile(r"[.!?][\"'”’)]*$")


def _is_a_paragraph_of_prose(text: str) -> bool:
    return len(text.split()) > _MAX_TITLE_WORDS and _ENDS_AS_A_SENTENCE.search(text) is not None


def _is_metadata_line(line: _Line) -> bool:
    return (
        _is_dated_line(line) or _is_by_line(line.text) or _credit_line_value(line.text) is not None
    )


def _is_dated_line(line: _Line) -> bool:
    """A date, reading time or wire dateline line (alone or in a ``|`` list)."""
    text = line.text
    return bool(
        _reading_time(text) is not None
        or _labelled_date(text)
        or parse_date(text)
        or _DATELINE_LINE.match(text)
        or ("|" in text and _split_on_pipes(line) is not None)
    )


# --- header: byline, date, reading time, dateline lines between the title and the body -------

_MAX_HEADER_LINES = 6


def _recognise_header(
    lines: list[_Line], first: int, metadata: _Metadata, spans: list[_Span]
) -> int:
    """Recognise metadata lines after the title; return the index of the first body line."""
    title_words = _words(metadata.title or "")
    index = first
    while index < len(lines) and index - first < _MAX_HEADER_LINES:
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if _credit_line_value(line.text) is not None or (
            following is not None
            and _is_caption_of(line, following, lines[index - 1] if index else None)
        ):
            break  # a picture's credit or caption, not a byline (`Getty Images`)
        context = _HeaderContext(title_words, metadata.dateline is None, following)
        parts = _header_parts(line, context)
        if parts is None:
            parts = _leading_date_parts(line)
            if parts is not None:
                _add_parts(parts, line, metadata, spans)
                index += 1
            break
        _add_parts(parts, line, metadata, spans)
        index += 1
    return index


@dataclass(frozen=True)
class _HeaderContext:
    title_words: frozenset[str]
    byline_allowed: bool  # bylines come before a wire dateline, never after it
    following: _Line | None


def _header_parts(line: _Line, context: _HeaderContext) -> list[_Part] | None:
    if "|" in line.text:
        return _split_on_pipes(line, context)
    part = _header_part(line.text, line.start, context)
    return None if part is None else [part]


def _split_on_pipes(line: _Line, context: _HeaderContext | None = None) -> list[_Part] | None:
    """A line like ``Last updated: | 2 min read``: one part per piece, if every piece is one."""
    context = context or _HeaderContext(frozenset(), True, None)
    parts = []
    offset = line.start
    for piece in line.text.split("|"):
        stripped = piece.strip()
        if stripped:
            start = offset + piece.index(stripped)
            part = _header_part(stripped, start, context, in_pipe_list=True)
            if part is None:
                return None
            parts.append(part)
        offset += len(piece) + 1
    return parts or None


def _header_part(
    text: str, start: int, context: _HeaderContext, *, in_pipe_list: bool = False
) -> _Part | None:
    end = start + len(text)
    minutes = _reading_time(text)
    if minutes is not None:
        return _Part("reading_time", start, end, (("reading_time_minutes", minutes),))
    labelled = _labelled_date(text)
    if labelled is not None:
        name, value = labelled
        return _Part("date", start, end, ((name, value),))
    bare_date = parse_date(text)
    if bare_date is not None:
        return _Part("date", start, end, (("published", bare_date),))
    if not in_pipe_list:
        dateline = _dateline_line(text, context.following)
        if dateline is not None:
            return _Part("dateline", start, end, dateline)
    if context.byline_allowed:
        confirmed = context.following is not None and _is_dated_line(context.following)
        authors = _byline_authors(
            text, context.title_words, in_pipe_list=in_pipe_list, confirmed=confirmed
        )
        if authors:
            return _Part("byline", start, end, (("authors", authors),))
    return None


def _leading_date_parts(line: _Line) -> list[_Part] | None:
    """A first paragraph that opens with the date (``Monday, March 9, 2026 On Sunday, ...``)."""
    match = _LEADING_DATE.match(line.text)
    if match is None:
        return None
    value = parse_date(match.group("date"))
    if value is None:
        return None
    date_end = line.start + match.end("date")
    body_start = line.start + match.end()
    return [
        _Part("date", line.start, date_end, (("published", value),)),
        _Part("body", body_start, line.end),
    ]


# --- reading time ----------------------------------------------------------------------------

_READING_TIME = re.compile(
    r"^(?:(?P<minutes>\d{1,3})[\s-]*(?:min|mins|minutes?)\.?\s+read"
    r"|reading\s+time\s*:?\s*(?P<minutes2>\d{1,3})\s*(?:min|mins|minutes?)\.?)$",
    re.IGNORECASE,
)


def _reading_time(text: str) -> int | None:
    match = _READING_TIME.match(text)
    if match is None:
        return None
    return int(match.group("minutes") or match.group("minutes2"))


# --- dates -----------------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue(?:s)?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TEXT_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?"
    rf"(?:(?P<month1>{_MONTH})\s+(?P<day1>{_DAY}),?\s+(?P<year1>\d{{4}})"
    rf"|(?P<day2>{_DAY})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>\d{{4}}))"
)
_NUMERIC_DATE = r"(?P<year3>\d{4})[-/](?P<month3>\d{1,2})[-/](?P<day3>\d{1,2})"
_TIME = (
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?"
)
_TIMEZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2}|UTC|GMT|BST|CES?T|[ECMP][SD]?T|IST|JST|AE[SD]T|HKT|SGT)"
_DATE_VALUE = re.compile(
    rf"^(?:{_TEXT_DATE}|{_NUMERIC_DATE})"
    rf"(?:(?:,?\s+(?:at\s+)?|T|\s*[-–|]\s*){_TIME})?(?:\s*{_TIMEZONE})?\.?$",
    re.IGNORECASE,
)
_LEADING_DATE = re.compile(rf"^(?P<date>{_TEXT_DATE})\s+(?=[A-Z\"“‘'])")
_DATE_LABEL = re.compile(
    r"^(?P<label>last\s+updated|updated(?:\s+on)?|first\s+published|published(?:\s+on)?"
    r"|posted(?:\s+on)?|date)\b(?P<colon>\s*:)?\s*(?P<value>.*)$",
    re.IGNORECASE,
)


def _labelled_date(text: str) -> tuple[str, str | None] | None:
    """``Published: 3 March 2020`` -> ("published", "2020-03-03"); an empty or unparseable value
    after a colon still makes a date line (its value None); without a colon the value must parse.
    """
    match = _DATE_LABEL.match(text)
    if match is None:
        return None
    value = match.group("value").strip()
    parsed = parse_date(value) if value else None
    if parsed is None and (match.group("colon") is None or len(value) > 40):
        return None
    name = "updated" if "updated" in match.group("label").lower() else "published"
    return name, parsed


def parse_date(text: str) -> str | None:
    """An ISO 8601 date (or date-time, if a time is given) for a date written in a common form."""
    match = _DATE_VALUE.match(text.strip())
    if match is None:
        return None
    try:
        day = _date_of(match)
        if match.group("hour") is None:
            return day.isoformat()
        return _with_time(day, match)
    except ValueError:
        return None


def _date_of(match: re.Match[str]) -> date:
    groups = match.groupdict()
    for suffix in ("1", "2"):
        if groups[f"year{suffix}"]:
            month_name = groups[f"month{suffix}"].rstrip(".").lower()
            day = int(re.sub(r"\D", "", groups[f"day{suffix}"]))
            return date(int(groups[f"year{suffix}"]), MONTHS[month_name], day)
    return date(int(groups["year3"]), int(groups["month3"]), int(groups["day3"]))


def _with_time(day: date, match: re.Match[str]) -> str | None:
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").lower()
    if match.group("minute") is None and not ampm:
        raise ValueError("a bare number is not a time")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("bad 12-hour time")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    moment = datetime(day.year, day.month, day.day, hour, minute, second)
    return moment.isoformat() + _utc_offset(match.group("zone"))


def _utc_offset(zone: str | None) -> str:
    """The ISO offset for UTC and numeric zones; other zone names are dropped (not guessed)."""
    if zone is None:
        return ""
    if zone.upper() in {"Z", "UTC", "GMT"}:
        return "+00:00"
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        return f"{zone[0]}{digits[:2]}:{digits[2:]}"
    return ""


# --- wire datelines --------------------------------------------------------------------------

_CAPS_PLACE = r"[A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]*)*"
_REGION = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
_PLACE = rf"(?P<place>{_CAPS_PLACE}(?:,\s*{_REGION})?)"
_DATELINE_LINE = re.compile(rf"^{_PLACE}\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}})$")
_PLACE_ONLY_LINE = re.compile(rf"^{_PLACE}$")
_DASH = r"(?:--|-|_|—|–)"
# `LONDON / BRUSSELS (Reuters) -`: a story filed from several places.
_PLACES = rf"(?P<place>{_CAPS_PLACE}(?:,\s*{_REGION})?(?:[ \t]*/[ \t]*{_CAPS_PLACE})*)"
# The dateline's place (and date), then the agency credited with the story, then a dash.
_DATELINE_PREFIX = re.compile(
    rf"^(?P<where>{_PLACES}(?:,\s*{_MONTH}\s+\d{{1,2}})?)"
    rf"(?:\s*(?P<agency>\([A-Za-z][\w .&-]{{0,30}}\)))?\s*{_DASH}\s"
)
# Wikinews style: "Porto, Portugal — The regatta began ..."
_TITLE_CASE_DATELINE_PREFIX = re.compile(
    r"^(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+[—–]\s"
)


def _has_caps_word(place: str) -> bool:
    return any(len(word) >= 2 and word.isupper() for word in re.findall(r"[\w'’.-]+", place))


def _dateline_line(text: str, following: _Line | None) -> tuple[tuple[str, object], ...] | None:
    """``LONDON 1996-08-30`` (place and date), or a place alone with the date on the next line."""
    match = _DATELINE_LINE.match(text)
    if match is not None and _has_caps_word(match.group("place")):
        return (("dateline", match.group("place")), ("published", parse_date(match["date"])))
    match = _PLACE_ONLY_LINE.match(text)
    if (
        match is not None
        and _has_caps_word(match.group("place").split(",")[0])
        and following is not None
        and parse_date(following.text) is not None
    ):
        return (("dateline", match.group("place")),)
    return None


def _opens_with_an_agency_dateline(text: str) -> bool:
    """`BAMAKO (Reuters) - One of ...`: a place in capitals, the agency in brackets and a dash
    open a story's first paragraph, never a headline (`SOCCER - JAPAN WIN` is one)."""
    match = _DATELINE_PREFIX.match(text)
    return (
        match is not None
        and match["agency"] is not None
        and _has_caps_word(match.group("place").split(",")[0])
    )


# An agency in brackets: capitalised words (`(Reuters)`, `(Thomson Reuters Foundation)`), not
# a remark (`NATO (the alliance) - …`) nor a share's ticker (`BP (BP.L) - Shares…`).
_AGENCY = r"\([A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,3}\)"
_AGENCY_NAME = re.compile(_AGENCY)
_TICKER = re.compile(r"\.[A-Z]{1,2}\)$|^\(\d")
# A wire story's first paragraph that names no place: `(Reuters) - Shares in …`.
_AGENCY_OPENER = re.compile(rf"^(?P<agency>{_AGENCY})\s*{_DASH}\s")


def _dateline_parts(line: _Line) -> list[_Part] | None:
    """A story's first paragraph opening with an agency's dateline (`DETROIT (Reuters) - GM
    said…`, `(Reuters) - Shares…`): the place (and date) as the dateline, the agency in
    brackets with its dash as the story's credit, the rest as body. Neither is a sentence of
    the story: what they name is linked to nothing (as a dateline on a line of its own,
    `LONDON 1996-08-30`), so a wire service is not linked to every story it filed, nor the
    town it was filed from to everything in the first sentence. Without an agency the
    paragraph stays whole, its dateline only read (`US - EU trade fell…` opens a sentence
    as often as `PARIS - Shares fell…` a story)."""
    match = _DATELINE_PREFIX.match(line.text) or _AGENCY_OPENER.match(line.text)
    if (
        match is None
        or match["agency"] is None
        or not _AGENCY_NAME.fullmatch(match["agency"])
        or _TICKER.search(match["agency"])
        or (match.re is _DATELINE_PREFIX and not _has_caps_word(match["place"].split(",")[0]))
    ):
        return None
    dash_end = line.start + match.end() - 1  # each pattern ends with the space after the dash
    parts = []
    if match.re is _DATELINE_PREFIX:
        end = line.start + match.end("where")
        parts.append(_Part("dateline", line.start, end, (("dateline", match["place"]),)))
    parts.append(_Part("credit", line.start + match.start("agency"), dash_end))
    rest = line.text[match.end() :].lstrip()
    if rest:
        parts.append(_Part("body", line.end - len(rest), line.end))
    return parts


def _dateline_place(text: str) -> str | None:
    """The place of a dateline opening a paragraph (`WASHINGTON (Reuters) - ...`)."""
    match = _DATELINE_PREFIX.match(text)
    if match is None or not _has_caps_word(match["place"].split(",")[0]):
        match = _TITLE_CASE_DATELINE_PREFIX.match(text)
    return None if match is None else match["place"]


# --- bylines ---------------------------------------------------------------------------------

_BY_PREFIX = re.compile(r"^(?:by|BY|By)\s+(?P<names>\S.*)$")
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
# fmt: off
# Words that make a short capitalised line a heading or an organisation, not a person.
_NOT_NAME_WORDS = words("byline_stop_words") | frozenset(MONTHS)
# fmt: on
_PLACE_WORD = re.compile(
    r"\b(?:Park|Stadium|Arena|Street|Road|Avenue|Square|Centre|Center|Ground|Airport|Station"
    r"|Bay|Beach|Valley|Heights|County|City|Island|Islands|Republic|Kingdom|States)\b"
)
_MAX_NAMES_WORDS = 5
_MAX_BYLINE_CHARS = 200
_MAX_NAMES_WORDS_AFTER_BY = 6


def _byline_authors(
    text: str, title_words: frozenset[str], *, in_pipe_list: bool, confirmed: bool
) -> list[str]:
    """The names in a byline (``By Jane Doe and John Roe``, ``Tim Alper``), or [].

    A line of bare names is a byline only if no word in it names a place or an organisation
    (``Ewood Park``), unless a date or dateline line follows it, as one follows a byline.
    """
    if len(text) > _MAX_BYLINE_CHARS:
        return []  # a paragraph, not a byline (and splitting it on spaces would be slow)
    by_match = _BY_PREFIX.match(text)
    if by_match is not None:
        names = _leading_names(by_match.group("names"))
        words = sum(len(name.split()) for name in names)
        return names if words <= _MAX_NAMES_WORDS_AFTER_BY else []
    if in_pipe_list or (text.endswith((".", ":", ";", "!", "?")) and not _ends_with_initial(text)):
        return []
    names = [name for name in _NAME_SEPARATOR.split(text) if name]
    if not names or not all(_is_person_name(name) for name in names):
        return []
    if not confirmed and any(_PLACE_WORD.search(name) for name in names):
        return []
    name_words = [word.lower() for name in names for word in name.split()]
    if len(name_words) > _MAX_NAMES_WORDS or any(
        len(w) > 2 and w in title_words for w in name_words
    ):
        return []  # a subheading repeating the title's words is not a byline
    return names


def _leading_names(names_text: str) -> list[str]:
    """Names after "By", up to the first piece that is not a name (``, BBC News``)."""
    if not _ends_with_initial(names_text):
        names_text = names_text.rstrip(".")
    names = []
    for piece in _NAME_SEPARATOR.split(names_text):
        if not piece or not _is_person_name(piece):
            break
        names.append(piece)
    return names


def _is_by_line(text: str) -> bool:
    by_match = _BY_PREFIX.match(text)
    return by_match is not None and bool(_leading_names(by_match.group("names")))


def _ends_with_initial(text: str) -> bool:
    return re.search(r"(?:^|\s)[A-Z]\.$", text) is not None


def _is_person_name(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    if words[0] in NAME_PARTICLES or words[-1] in NAME_PARTICLES:
        return False  # "van Gogh" alone or "Ludwig van" is not a full name
    return all(word in NAME_PARTICLES or _is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    """A capitalised word (``Alper``, ``O'Neil``, ``Mary-Jane``) or an initial (``J.``)."""
    if not word[0].isupper() or not all(char.isalpha() or char in ".'’-" for char in word):
        return False
    if re.fullmatch(r"[A-Z]\.?", word):
        return True
    return not word.isupper() and word.lower().rstrip(".") not in _NOT_NAME_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(word.lower() for word in re.findall(r"\w+", text))


# --- body, captions and credits --------------------------------------------------------------

_CREDIT_LABEL = (
    r"(?:photo\s+credit|image\s+credit|picture\s+credit|images?|photos?|photograph|pictures?"
    r"|pic|credits?|illustration|source)"
)
_CREDIT_LINE = re.compile(
    rf"^\(?\s*{_CREDIT_LABEL}\s*:\s*(?P<value>[^()]{{1,80}}?)\s*\)?$", re.IGNORECASE
)
# "... on the north pier. Photo: Harbour Trust." ("Source:" is too common in body text here)
_INLINE_CREDIT = re.compile(
    r"^(?P<caption>.*\S)\s+(?P<credit>\(?(?:image|photo|picture|photograph|credit|illustration)"
    r"\s*:\s*(?P<value>[^():]{1,80}?)\s*\)?)$",
    re.IGNORECASE,
)
_MAX_CREDIT_WORDS = 10
_MAX_CAPTION_WORDS = 20


def _recognise_body(
    lines: list[_Line], first: int, metadata: _Metadata, spans: list[_Span]
) -> None:
    """Everything after the header: captions, credits, late date lines, and body paragraphs."""
    seen_body = any(span.section == "body" for span in spans)
    read_first_line = False
    for index in range(first, len(lines)):
        line = lines[index]
        credit = _credit_line_value(line.text)
        if credit is not None:
            part = _Part("credit", line.start, line.end, (("credits", credit),))
            _add_parts([part], line, metadata, spans)
            continue
        parts = _inline_agency_credit_parts(line)
        if parts is None and not _is_photo_caption(line.text):
            parts = _inline_caption_parts(line)
        parts = parts or _late_date_parts(line)
        if parts is not None:
            _add_parts(parts, line, metadata, spans)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if _is_photo_caption(line.text) or (
            following is not None
            and _is_caption_of(line, following, lines[index - 1] if index else None)
            and _signoff_parts(line) is None
        ):
            # A picture's caption, read before the story's first paragraph is looked for.
            spans.append(_whole_line("caption", line))
            continue
        if not seen_body:
            # Short lines before the first paragraph (a photo credit, `REUTERS / Kai Berg`)
            # leave its dateline to come, if an agency's (`OSLO (Reuters) -`): a line of
            # prose wrapped short may begin with capitals and a dash.
            opening = None
            if not read_first_line or _opens_a_story(line.text):
                opening = _dateline_parts(line)
                if opening is None:  # a dateline without an agency: read, the text left whole
                    metadata.set_once("dateline", _dateline_place(line.text))
            read_first_line = True
            seen_body = not _is_a_short_line_before_the_story(line.text)
            if opening is not None:
                _add_parts(opening, line, metadata, spans)
                continue
        signoff = _signoff_parts(line)
        if signoff is not None:
            _add_parts(signoff, line, metadata, spans)
            if not metadata.authors:  # a byline names who wrote it better
                metadata.authors.extend(
                    _signoff_reporters(line.text[signoff[-1].start - line.start :])
                )
            continue
        spans.append(_whole_line("body", line))


def _is_a_short_line_before_the_story(text: str) -> bool:
    return len(text.split()) <= _MAX_CREDIT_WORDS and not text.rstrip().endswith(
        (".", "!", "?", ":", '"', "”")
    )


def _is_caption_of(line: _Line, following: _Line, previous: _Line | None) -> bool:
    """Whether `line` is the caption of a picture whose credit `following` is. It opens its
    paragraph and is no byline, story's first paragraph or heading (`Photos:`); it has up to
    20 words, or, before an agency's credit, which follows nothing but a picture, it is a
    sentence of up to 45 words ending with the picture's date (`…in Oslo, March 3, 2020.`) or
    opening with where and when it was taken (`OSLO, NORWAY - MARCH 3: …`).
    """
    if previous is not None and previous.paragraph == line.paragraph:
        return False
    agency = _agency_credit_value(following.text) is not None
    if not agency and _labelled_credit_value(following.text) is None:
        return False  # most lines: no credit follows
    text = line.text
    if text.endswith(":") or _is_by_line(text) or _opens_a_story(text):
        return False
    words = len(text.split())
    if words <= _MAX_CAPTION_WORDS:
        return True
    return (
        agency
        and words <= _MAX_AGENCY_CAPTION_WORDS
        and (_PICTURE_DATE.search(text) or _PICTURE_DATE_OPENING.match(text)) is not None
    )


def _opens_a_story(text: str) -> bool:
    return _opens_with_an_agency_dateline(text) or _AGENCY_OPENER.match(text) is not None


_PICTURE_DATE = re.compile(rf"\b{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d\.?$")
# A picture agency's caption opens with where and when: `LEEDS, ENGLAND - MAY 28: …`.
_PICTURE_DATE_OPENING = re.compile(
    rf"^[A-Z][A-Z .,'’-]*\s[-–—]\s(?i:{_MONTH})\s+\d{{1,2}}(?:,\s+\d{{4}})?:\s"
)


def _credit_line_value(text: str) -> str | None:
    """A credit line's value: a labelled credit's (`Photo: Ana Ruiz`) or an agency's."""
    labelled = _labelled_credit_value(text)
    return labelled if labelled is not None else _agency_credit_value(text)


def _labelled_credit_value(text: str) -> str | None:
    match = _CREDIT_LINE.match(text)
    return None if match is None else _credit_value(match.group("value"))


_PHOTO_AGENCIES = words("photo_agencies")
_PHOTO_CREDIT_NOTES = words("photo_credit_notes")
_CREDIT_PARTS = re.compile(r"\s*/\s*|,\s+")
_MAX_AGENCY_CAPTION_WORDS = 45


def _agency_credit_value(text: str) -> str | None:
    """`REUTERS/Ana Ruiz/File Photo`, `(AP Photo/Tom Hale)`, `Ana Ruiz/AFP via Getty Images`,
    `Getty Images`: a short line of parts joined by slashes, one of them a picture agency and
    the others names or notes (`File Photo`); the value is the line without its brackets."""
    if len(text) > _MAX_BYLINE_CHARS:
        return None
    value = text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text
    if "/" not in value and "," not in value:  # one part (most lines: checked at once)
        return value if len(value.split()) >= 2 and _is_photo_agency(value) else None
    parts = _CREDIT_PARTS.split(value)
    if len(value.split()) > _MAX_CREDIT_WORDS or not all(parts):
        return None
    agencies = [part for part in parts if _is_photo_agency(part)]
    if not agencies or (len(parts) == 1 and len(value.split()) < 2):
        return None  # `Reuters` alone on a line may be anything
    others = (part for part in parts if part not in agencies)
    if all(p.casefold() in _PHOTO_CREDIT_NOTES or _is_credited_name(p) for p in others):
        return value
    return None


def _is_photo_agency(part: str) -> bool:
    """`REUTERS`, `Getty Images`, `via REUTERS`, `Tom Hale via Getty Images`, `Pool via AP`."""
    if part.casefold() in _PHOTO_AGENCIES:
        return True
    if part[:4].casefold() == "via ":
        head, via, agency = "", "via", part[4:]
    else:
        head, via, agency = part.partition(" via ")
    return (
        bool(via)
        and agency.casefold() in _PHOTO_AGENCIES
        and (not head or head.casefold() in _PHOTO_CREDIT_NOTES or _is_credited_name(head))
    )


def _is_credited_name(part: str) -> bool:
    """A photographer's name: one to five words, capitalised but for short particles inside
    it (`Flavio lo Scalzo`, `Ana de la Cruz`)."""
    words = part.split()
    if not 1 <= len(words) <= 5 or not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    return all(
        (word[0].isupper() or (word.isalpha() and len(word) <= 3))
        and not word.endswith((",", ";", ":"))
        for word in words
    )


# Wire captions: `FILE PHOTO: A trader works…` (Reuters), `FILE - In this photo…` (AP). The
# match is the label alone, which the model is not shown.
_CAPTION_LABEL = re.compile(r"^(?:FILE\s+PHOTO\s*[:–—-]|FILE\s+[–—-])(?=\s*\S)")


def _is_photo_caption(text: str) -> bool:
    return _CAPTION_LABEL.match(text) is not None


def _credit_value(value: str) -> str | None:
    value = value.strip()
    if not _ends_with_initial(value) and not re.search(r"\b[A-Z]\.[A-Z]\.$", value):
        value = value.rstrip(".").rstrip()
    if not value or len(value.split()) > _MAX_CREDIT_WORDS:
        return None
    return value


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+")
_INLINE_AGENCY_CREDIT_CHARS = 100


def _inline_agency_credit_parts(line: _Line) -> list[_Part] | None:
    """A caption with its agency's credit after its last sentence, on one line (`…in Oslo,
    March 3, 2020. REUTERS/Ana Ruiz`): the caption (or, past 45 words, body) and the credit.
    Only the line's last 100 characters are tried, so a long line costs no more."""
    text = line.text
    tail_from = max(0, len(text) - _INLINE_AGENCY_CREDIT_CHARS)
    if "/" not in text[tail_from:]:
        return None
    for end in _SENTENCE_END.finditer(text, tail_from):
        credit = _agency_credit_value(text[end.end() :])
        if credit is None:
            continue
        before = text[: end.end()].rstrip()
        long = len(before.split()) > _MAX_AGENCY_CAPTION_WORDS
        return [
            _Part("body" if long else "caption", line.start, line.start + len(before)),
            _Part("credit", line.start + end.end(), line.end, (("credits", credit),)),
        ]
    return None


def _inline_caption_parts(line: _Line) -> list[_Part] | None:
    if ":" not in line.text:
        return None  # no credit label; the pattern would try every place in the line to say so
    match = _INLINE_CREDIT.match(line.text)
    if match is None:
        return None
    credit = _credit_value(match.group("value"))
    if credit is None:
        return None
    return [
        _Part("caption", line.start, line.start + match.end("caption")),
        _Part("credit", line.start + match.start("credit"), line.end, (("credits", credit),)),
    ]


# A wire service's sign-off: who reported, wrote and edited the story, at its end or on a line
# of its own (`(Reporting by Ana Ruiz in Lima; Editing by Tom Hale)`). Its names are tagged
# like any others, but it is no sentence of the story: nothing in it co-occurs.
_SIGNOFF_ROLE = (
    r"(?:(?:additional|further|extra)\s+)?(?:reporting|reported|writing|written|editing|edited"
    r"|compiled|compiling|compilation|research|graphics?|production|produced|translation"
    r"|translated|photography|fact-?checking)"
)
# Names run from a character that is no space to one that is no space, so that a run of
# spaces is read one way only (the pattern stays linear on any line).
_SIGNOFF_CLAUSE = rf"{_SIGNOFF_ROLE}\s+by\s+[^;()\s](?:[^;()]*[^;()\s])?"
_SIGNOFF_CLAUSES = rf"{_SIGNOFF_CLAUSE}(?:\s*;\s*{_SIGNOFF_CLAUSE})*"
_SIGNOFF_IN_BRACKETS = re.compile(rf"\(\s*(?P<clauses>{_SIGNOFF_CLAUSES})(?:\s*;)?\s*\)$", re.I)
_SIGNOFF_LINE = re.compile(rf"^(?P<clauses>{_SIGNOFF_CLAUSES})(?:\s*[;.])?$", re.I)
_SIGNOFF_NAMES = re.compile(rf"{_SIGNOFF_ROLE}\s+by\s+", re.I)
# Lower-case words a list of people and their desks may hold: `Ana Ruiz in Lima and Tom Hale`.
_SIGNOFF_JOINERS = frozenset(
    {"and", "in", "at", "of", "for", "from", "with", "de", "da", "del", "van", "von", "al", "bin"}
)
_MAX_SIGNOFF_WORDS = 60


def _signoff_parts(line: _Line) -> list[_Part] | None:
    """The line's sign-off, as its own part (the text before it stays body), if it has one."""
    if " by " not in line.text.lower():
        return None
    match = _SIGNOFF_IN_BRACKETS.search(line.text) or _SIGNOFF_LINE.match(line.text)
    if match is None or not _names_only(match.group("clauses")):
        return None
    start = line.start + match.start()
    before = line.text[: match.start()].rstrip()
    parts = [_Part("body", line.start, line.start + len(before))] if before else []
    return [*parts, _Part("signoff", start, line.end)]


# Who reported or wrote the story (its authors), not who edited, translated or drew for it.
_AUTHOR_ROLES = frozenset({"reporting", "reported", "writing", "written"})
_PEOPLE_SEPARATOR = re.compile(r"\s+(?:and|&)\s+", re.I)
_DESK_WORDS = frozenset({"in", "at", "for", "from", "with"})


def _signoff_reporters(signoff: str) -> list[str]:
    """The people a sign-off says reported or wrote the story, without their desks:
    `(Reporting by Ana Ruiz in Lima, Peru and Tom Hale; Editing by Lea Ott)` gives Ana Ruiz
    and Tom Hale. A name is two words or more (a lone word after a desk is a place)."""
    found: list[str] = []
    roles = list(_SIGNOFF_NAMES.finditer(signoff))
    for role, following in zip(roles, [*roles[1:], None], strict=True):
        if role.group(0).split()[-2].casefold() not in _AUTHOR_ROLES:
            continue
        names = signoff[role.end() : following.start() if following else len(signoff)]
        for person in _PEOPLE_SEPARATOR.split(names.strip(" ().;,")):
            for item in person.split(","):
                words = item.split()
                named = list(itertools.takewhile(lambda w: w not in _DESK_WORDS, words))
                name = " ".join(named).strip(" .")
                if len(named) >= 2 and name not in found:
                    found.append(name)
                if len(named) < len(words):
                    break  # after a desk, the rest of the item is where (`Lima, Peru`)
    return found


def _names_only(clauses: str) -> bool:
    """Whether what follows each `… by` is names (capitalised words and joiners), not prose
    that happens to begin `Reporting by` (`Reporting by the agency showed that …`)."""
    words = _SIGNOFF_NAMES.sub(" ", clauses).replace(";", " ").replace(",", " ").split()
    if not words or len(words) > _MAX_SIGNOFF_WORDS:
        return False
    return all(w[0].isupper() or w in _SIGNOFF_JOINERS or w == "&" for w in words)


def _late_date_parts(line: _Line) -> list[_Part] | None:
    """``Published 3 March 2020`` further down (as a footer): only when the date parses."""
    labelled = _labelled_date(line.text)
    if labelled is None or labelled[1] is None:
        return None
    return [_Part("date", line.start, line.end, (labelled,))]


def _blocks_from_spans(text: str, spans: list[_Span]) -> list[Block]:
    """Blocks in text order; consecutive body lines of one paragraph become one block."""
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda span: span.start):
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and span.section == previous.section == "body"
            and span.paragraph == previous.paragraph
        ):
            merged[-1] = _Span("body", previous.start, span.end, span.paragraph)
        else:
            merged.append(span)
    return [_block(text, span) for span in merged if text[span.start : span.end].strip()]


def _block(text: str, span: _Span) -> Block:
    raw = text[span.start : span.end]
    start = span.start + (len(raw) - len(raw.lstrip()))
    end = span.end - (len(raw) - len(raw.rstrip()))
    return Block(section=span.section, start=start, end=end, text=text[start:end])


# -- the text the model sees ------------------------------------------------------------


def text_for_nlp(loaded: LoadedArticle) -> str:
    """The text the model sees: same length and offsets as the source.

    Date lines and bylines are blanked to spaces (metadata: the model never sees them), so
    are the words of an agency's credit that name no one (`Photo`, `File`: `AP Photo` would
    be taken for a name) and a caption's wire label (`FILE PHOTO:`), and ALL-CAPS lines
    (agency headlines, datelines) are put in ordinary case, which the model was trained on,
    so they do not hide entities it finds in normal case.
    """
    text = loaded.text
    vocabulary: dict[str, str] | None = None
    pieces, at = [], 0
    for block in loaded.blocks:
        if block.section not in MENTION_SECTIONS or block.section == "byline":
            continue
        shown = block.text
        if block.section == "credit" and _agency_credit_value(shown) is not None:
            shown = _CREDIT_WORDS.sub(lambda m: " " * len(m.group(0)), shown)
        elif block.section == "caption":
            shown = _CAPTION_LABEL.sub(lambda m: " " * len(m.group(0)), shown)
        if _is_all_caps(shown):
            vocabulary = vocabulary if vocabulary is not None else _cased_vocabulary(loaded)
            shown = _truecase(shown, vocabulary, names_only=block.section != "title")
        pieces += [_BLANK.sub(" ", text[at : block.start]), shown]
        at = block.end
    pieces.append(_BLANK.sub(" ", text[at:]))
    return "".join(pieces)


_BLANK = re.compile(r"[^\n]")
_CREDIT_WORDS = re.compile(
    r"\b(?:file|photos?|photograph|picture|image|illustration|pool|handout)\b", re.IGNORECASE
)


_CASED_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _is_all_caps(text: str) -> bool:
    letters, capitals = _letters_and_capitals(text)
    return letters >= 4 and capitals >= 0.8 * letters


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _letters_and_capitals(text: str) -> tuple[int, int]:
    """How many of the text's characters are letters (`str.isalpha`), and how many of those
    are capitals (`str.isupper`). The ASCII ones are counted in C, by deleting them from the
    bytes; only the rest (`É`, `ß`, `’`) one by one."""
    ascii_part = text.encode("ascii", "ignore")
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    capitals = len(ascii_part) - len(ascii_part.translate(None, _ASCII_CAPITALS))
    if len(ascii_part) < len(text):
        others = [c for c in "".join(_NOT_ASCII.findall(text)) if c.isalpha()]
        letters += len(others)
        capitals += sum(map(str.isupper, others))
    return letters, capitals


def _cased_vocabulary(loaded: LoadedArticle) -> dict[str, str]:
    """How the article writes each word where it is not shouting: `JAPAN` → `Japan`."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for block in loaded.blocks:
        if block.section in MENTION_SECTIONS and not _is_all_caps(block.text):
            for match in _CASED_WORD.finditer(block.text):
                word = match.group(0)
                if not word.isupper() or len(word) <= 1:
                    forms[word.casefold()][word] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in forms.items()}


def _truecase(text: str, vocabulary: dict[str, str], *, names_only: bool) -> str:
    """Each word as the article writes it elsewhere; unknown words lower case, even first
    (or, outside a headline, in a dateline or a table row of names, capitalised). Each
    replacement keeps the length of the word."""

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        known = vocabulary.get(word.casefold())
        if known is None:
            known = word.capitalize() if names_only else word.lower()
        return known if len(known) == len(word) else word

    return _CASED_WORD.sub(recase, text)
