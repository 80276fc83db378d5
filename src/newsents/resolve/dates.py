"""Normalise date mentions ("last Friday", "Sept. 14, 2017", "the 1990s") to TimeML values.

`normalize_date` turns the text of one date mention into a TimeML/ISO 8601 value. Relative
expressions are resolved against an anchor (the article's publication date); without one they
come back with `value=None` and `relative=True`. Today's date is never used.

Conventions follow TimeML annotation of news (TimeBank/AQUAINT):
- a bare weekday is the most recent such day on or before the anchor ("Friday" on a Friday is
  that Friday); "last Friday" is strictly before, "next Friday" strictly after;
- a month or month-day without a year is its nearest occurrence to the anchor, the past
  winning ties ("March" in November is the coming March only when nearer);
- "last year", "a year ago", "the past year" are the previous calendar year; "this week" and
  friends are ISO weeks.

`find_date_spans` adjusts spaCy's entity spans for dates: it splits ranges ("between 1982 and
1992", "May 4 to June 19") and period phrases ("the quarter ended Aug. 31"), keeps day-naming
TIME spans and holiday EVENT spans, and adds weekdays, "today"/"yesterday"/"tomorrow" and
holidays that spaCy missed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from newsents.lexicon import MONTHS, WEEKDAYS
from newsents.models import Granularity
from newsents.resolve.intervals import Taken
from newsents.resolve.patterns import Caseless, any_of


@dataclass(frozen=True)
class DateValue:
    """A normalised date: TimeML value, its unit, and whether it needed an anchor."""

    value: str | None
    granularity: Granularity | None
    relative: bool


UNRESOLVED = DateValue(None, None, False)
# A month or month-day named without a year is taken to be ahead of the anchor only when it
# falls within this window, else in the past: news mostly reports what happened, and TimeML
# gold for news agrees (a six-month "nearest" window is worse on TimeBank/AQUAINT).
FUTURE_WINDOW_MONTHS = 4
FUTURE_WINDOW_DAYS = 122

UNIT_GRANULARITY: dict[str, Granularity] = {
    "day": "day", "week": "week", "month": "month", "year": "year", "decade": "decade"
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_ORDER = ("WI", "SP", "SU", "FA")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "last": 4, "final": 4}  # fmt: skip
UNITS = {
    "ones": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9},
    "teens": {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
              "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
    "tens": {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
             "eighty": 80, "ninety": 90},
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip

_MONTH_RE = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
)
_WEEKDAY_RE = (
    r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?:mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.)"
)
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR_RE = r"(?P<year>1[0-9]\d\d|20\d\d|21\d\d)\b"
_NUMBER_RE = (
    r"(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|a couple of|a few)"
)


# ---------------------------------------------------------------- public API


@lru_cache(maxsize=65536)
def normalize_date(text: str, *, anchor: datetime.date | None) -> DateValue:
    """The TimeML value of a date mention, resolved against `anchor` when it is relative."""
    cleaned = _focus(_clean(text))
    if not cleaned:
        return UNRESOLVED
    for rule in _RULES:
        found = rule(cleaned, anchor)
        if found is not None:
            return found
    return UNRESOLVED


# ---------------------------------------------------------------- text preparation


def _clean(text: str) -> str:
    """Lower case, straight quotes, no possessives, hyphens as spaces, one space between words."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(?<=[a-z])-|-(?=[a-z])", " ", text)
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", ". ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(' ,;:!?"()[]')


def _focus(cleaned: str) -> str:
    """The date at the end of a period phrase: "the quarter ended aug. 31" -> "ended aug. 31".

    The verb stays: a period that "ended" on a month-day lies in the past.
    """
    match = re.search(r"\b(?:ended|ending|through|thru|until|till)\b .+$", cleaned)
    return match.group(0) if match else cleaned


# ---------------------------------------------------------------- value builders


def _day(date: datetime.date, relative: bool) -> DateValue:
    return DateValue(date.isoformat(), "day", relative)


def _month(year: int, month: int, relative: bool) -> DateValue:
    return DateValue(f"{year:04d}-{month:02d}", "month", relative)


def _year(year: int, relative: bool) -> DateValue:
    return DateValue(f"{year:04d}", "year", relative)


def _week(date: datetime.date, relative: bool) -> DateValue:
    iso_year, iso_week, _ = date.isocalendar()
    return DateValue(f"{iso_year:04d}-W{iso_week:02d}", "week", relative)


def _needs_anchor(granularity: Granularity | None) -> DateValue:
    return DateValue(None, granularity, True)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- number words


def _number(word: str) -> int | None:
    """A count written as digits or words ("3", "a", "twenty five"); None otherwise."""
    word = word.strip()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    if word == "a couple of":
        return 2
    return _spelled_below_100(word)


def _spelled_below_100(words: str) -> int | None:
    parts = words.replace("-", " ").split()
    if len(parts) == 1:
        for table in UNITS.values():
            if parts[0] in table:
                return table[parts[0]]
        return None
    if len(parts) == 2 and parts[0] in UNITS["tens"] and parts[1] in UNITS["ones"]:
        return UNITS["tens"][parts[0]] + UNITS["ones"][parts[1]]
    return None


_SPELLED_BELOW_100_RE = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?: (?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine)"
)
_SPELLED_YEAR_RE = re.compile(
    rf"\b(?P<century>eighteen|nineteen|twenty) (?:hundred (?:and )?)?"
    rf"(?P<rest>{_SPELLED_BELOW_100_RE})\b"
    rf"|\btwo thousand(?: and)?(?: (?P<after2000>{_SPELLED_BELOW_100_RE}))?\b"
)


def _spelled_year(cleaned: str) -> int | None:
    """A year written in words: "nineteen ninety six", "two thousand (and) one"."""
    match = _SPELLED_YEAR_RE.search(cleaned)
    if not match:
        return None
    if match.group("century"):
        rest = _spelled_below_100(match.group("rest"))
        if rest is None or rest < 10:
            return None
        return UNITS["teens"].get(match.group("century"), 20) * 100 + rest
    after = match.group("after2000")
    return 2000 + (_spelled_below_100(after) or 0 if after else 0)


# ---------------------------------------------------------------- absolute forms


def _numeric_date(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ISO "1998-01-08", "1998-01", and US "01/08/1998" or "1/8/98"."""
    iso = re.search(r"\b(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b", cleaned)
    if iso:
        year, month = int(iso.group(1)), int(iso.group(2))
        if iso.group(3):
            date = _safe_date(year, month, int(iso.group(3)))
            return _day(date, False) if date else None
        return _month(year, month, False) if 1 <= month <= 12 else None
    us = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", cleaned)
    if us:
        us_year = _full_year(us.group(3), anchor)
        if us_year is None:
            return _needs_anchor("day")
        date = _safe_date(us_year, int(us.group(1)), int(us.group(2)))
        return _day(date, len(us.group(3)) == 2) if date else None
    return None


def _full_year(digits: str, anchor: datetime.date | None) -> int | None:
    """A two-digit year in the century that puts it at most 10 years after the anchor."""
    if len(digits) == 4:
        return int(digits)
    if anchor is None:
        return None
    short = int(digits)
    year = anchor.year - anchor.year % 100 + short
    return year - 100 if year > anchor.year + 10 else year


_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_RE} ?{_DAY_RE},? ?(?:of )?{_YEAR_RE}")
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY_RE} (?:of )?{_MONTH_RE},? ?{_YEAR_RE}")
_MONTH_YEAR = re.compile(rf"\b{_MONTH_RE},? ?(?:of )?{_YEAR_RE}")


def _explicit_day(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "January 8, 1998", "Jan. 8th 1998", "8 January 1998"."""
    match = _MONTH_DAY_YEAR.search(cleaned) or _DAY_MONTH_YEAR.search(cleaned)
    if not match:
        return None
    date = _safe_date(
        int(match.group("year")), MONTHS[match.group("month")], int(match.group("day"))
    )
    return _day(date, False) if date else None


def _explicit_month(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "September 2017", "Sept. 2017"."""
    match = _MONTH_YEAR.search(cleaned)
    if match:
        return _month(int(match.group("year")), MONTHS[match.group("month")], False)
    spelled = re.search(rf"\b{_MONTH_RE},? (?:of )?(?P<rest>.+)$", cleaned)
    year = _spelled_year(spelled.group("rest")) if spelled else None
    if spelled is None or year is None:
        return None
    return _month(year, MONTHS[spelled.group("month")], False)


def _explicit_season(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "spring 1998", "the summer of 1998", "winter of nineteen eighty seven"."""
    match = re.search(r"\b(spring|summer|fall|autumn|winter)\b,? (?:of )?(.*)$", cleaned)
    if not match:
        return None
    year = _year_in(match.group(2))
    if year is None:
        return None
    return DateValue(f"{year:04d}-{SEASONS[match.group(1)]}", "season", False)


def _year_in(cleaned: str) -> int | None:
    match = re.search(rf"\b{_YEAR_RE}(?!s)", cleaned)
    if match:
        return int(match.group("year"))
    return _spelled_year(cleaned)


# ---------------------------------------------------------------- quarters and halves

_QUARTER_RE = re.compile(
    r"\b(?:(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th|final) (?:fiscal )?"
    r"(?:quarter|period)|q(?P<qnum>[1-4])\b)"
)
_HALF_RE = re.compile(r"\b(?P<ordinal>first|second|1st|2nd|last|latter) half\b")


def _quarter(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "the third quarter (of 1998)", "Q3 2017", "the latest quarter", "the year-ago quarter"."""
    match = _QUARTER_RE.search(cleaned)
    if match:
        number = (
            int(match.group("qnum")) if match.group("qnum") else ORDINALS[match.group("ordinal")]
        )
        return _in_year_of(cleaned, anchor, f"Q{number}", "quarter")
    if re.search(r"\b(?:latest|the|this|current|that) quarter\b", cleaned):
        return _relative_quarter(cleaned, anchor)
    return None


def _relative_quarter(cleaned: str, anchor: datetime.date | None) -> DateValue:
    """A quarter named by position: "the latest quarter" is the last completed one."""
    if anchor is None:
        return _needs_anchor("quarter")
    current = (anchor.month - 1) // 3
    index = anchor.year * 4 + current
    if not re.search(r"\b(?:this|current)\b", cleaned):
        index -= 1
    if re.search(r"\byear (?:ago|earlier)\b|\blast year\b", cleaned):
        index -= 4
    return DateValue(f"{index // 4:04d}-Q{index % 4 + 1}", "quarter", True)


def _half(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "the first half (of 1998)", "the second half of next year"."""
    match = _HALF_RE.search(cleaned)
    if not match:
        return None
    number = 1 if match.group("ordinal") in ("first", "1st") else 2
    return _in_year_of(cleaned, anchor, f"H{number}", "half")


def _in_year_of(
    cleaned: str, anchor: datetime.date | None, suffix: str, granularity: Granularity
) -> DateValue:
    """`YYYY-<suffix>` with the year written in the text, else the anchor's (shifted) year."""
    year = _year_in(cleaned)
    if year is not None:
        return DateValue(f"{year:04d}-{suffix}", granularity, False)
    if anchor is None:
        return _needs_anchor(granularity)
    year = anchor.year + _year_offset(cleaned)
    return DateValue(f"{year:04d}-{suffix}", granularity, True)


def _year_offset(cleaned: str) -> int:
    """-1 for "last year"/"year-ago", +1 for "next year", else 0."""
    if re.search(r"\b(?:last|previous|prior|past) year\b|\byear (?:ago|earlier)\b", cleaned):
        return -1
    if re.search(r"\b(?:next|coming|following) year\b", cleaned):
        return 1
    return 0


# ---------------------------------------------------------------- decades and centuries


def _decade(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "the 1990s" -> "199", "the mid-'80s", "the nineties", "the last decade"."""
    full = re.search(r"\b(1\d\d|20\d)0s\b", cleaned)
    if full:
        return DateValue(full.group(1), "decade", False)
    short = re.search(r"(?:'|\b)(\d)0s\b", cleaned)
    word = re.search(r"\b(" + "|".join(DECADE_WORDS) + r")\b", cleaned)
    if short:
        return _decade_near_anchor(int(short.group(1)), anchor)
    if word:
        return _decade_near_anchor(DECADE_WORDS[word.group(1)], anchor)
    if re.search(r"\b(?:last|past|previous) decade\b", cleaned):
        return _shifted_decade(anchor, -1)
    if re.search(r"\b(?:this|current) decade\b", cleaned):
        return _shifted_decade(anchor, 0)
    return None


def _decade_near_anchor(digit: int, anchor: datetime.date | None) -> DateValue:
    """The most recent decade ending in `digit`0 that started by the anchor's year."""
    if anchor is None:
        return _needs_anchor("decade")
    century = anchor.year // 100
    if century * 100 + digit * 10 > anchor.year:
        century -= 1
    return DateValue(f"{century * 10 + digit:03d}", "decade", True)


def _shifted_decade(anchor: datetime.date | None, delta: int) -> DateValue:
    if anchor is None:
        return _needs_anchor("decade")
    return DateValue(f"{anchor.year // 10 + delta:03d}", "decade", True)


def _century(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "the 20th century" -> "19", "the nineteenth century" -> "18"."""
    match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th) century\b", cleaned)
    if match:
        return DateValue(f"{int(match.group(1)) - 1:02d}", "century", False)
    words = re.search(r"\b(\w+) century\b", cleaned)
    if words and words.group(1) in ORDINAL_WORDS:
        return DateValue(f"{ORDINAL_WORDS[words.group(1)] - 1:02d}", "century", False)
    if words and words.group(1) == "twenty" and "twenty first" in cleaned:
        return DateValue("20", "century", False)
    return None


# ---------------------------------------------------------------- month-level forms

_MONTH_DAY = re.compile(rf"\b{_MONTH_RE} ?{_DAY_RE}(?!,? ?\d)")
_DAY_OF_MONTH = re.compile(rf"\b(?:the )?{_DAY_RE} (?:of )?{_MONTH_RE}")
_MONTH_ORDINAL_WORD = re.compile(
    rf"\b{_MONTH_RE} (?:the )?(?P<ordinal>(?:twenty |thirty )?(?:"
    + "|".join(ORDINAL_WORDS)
    + r"))\b"
)


def _month_day(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "Jan. 8", "the 8th of January", "March eighth", "March 6 this year"."""
    found = _month_and_day(cleaned)
    if found is None:
        return None
    month, day = found
    if anchor is None:
        return _needs_anchor("day")
    year = _stated_relative_year(cleaned, anchor)
    if year is not None:
        date = _safe_date(year, month, day)
    elif re.search(r"\b(?:last|past|previous)\b", cleaned):
        date = _latest_on_or_before(month, day, anchor - datetime.timedelta(days=1))
    elif re.search(r"\bended\b", cleaned):  # "the quarter ended Oct. 31": already over
        date = _latest_on_or_before(month, day, anchor)
    elif re.search(r"\b(?:next|coming)\b", cleaned):
        date = _earliest_on_or_after(month, day, anchor + datetime.timedelta(days=1))
    else:
        date = _nearest_month_day(month, day, anchor)
    return _day(date, True) if date else None


def _month_and_day(cleaned: str) -> tuple[int, int] | None:
    match = _MONTH_DAY.search(cleaned) or _DAY_OF_MONTH.search(cleaned)
    if match:
        day = int(match.group("day"))
        return (MONTHS[match.group("month")], day) if 1 <= day <= 31 else None
    spelled = _MONTH_ORDINAL_WORD.search(cleaned)
    if spelled:
        spelled_day = _ordinal_word_value(spelled.group("ordinal"))
        return (MONTHS[spelled.group("month")], spelled_day) if spelled_day else None
    return None


def _ordinal_word_value(words: str) -> int | None:
    parts = words.split()
    if len(parts) == 1:
        return ORDINAL_WORDS.get(parts[0])
    tens = UNITS["tens"].get(parts[0], 0)
    unit = ORDINAL_WORDS.get(parts[1], 0)
    return tens + unit if tens and 0 < unit < 10 else None


def _stated_relative_year(cleaned: str, anchor: datetime.date) -> int | None:
    """The year of "this year"/"last year"/"next year" when the text says one."""
    if re.search(r"\b(?:this|current) year\b", cleaned):
        return anchor.year
    if re.search(r"\b(?:last|previous|prior|past) year\b", cleaned):
        return anchor.year - 1
    if re.search(r"\b(?:next|coming) year\b", cleaned):
        return anchor.year + 1
    return None


def _nearest_month_day(month: int, day: int, anchor: datetime.date) -> datetime.date | None:
    """Month/day in the coming four months if it falls there, else its last past occurrence."""
    candidates = [
        date
        for year in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (date := _safe_date(year, month, day)) is not None
    ]
    soon = [date for date in candidates if 0 < (date - anchor).days <= FUTURE_WINDOW_DAYS]
    past = [date for date in candidates if date <= anchor]
    if soon:
        return soon[0]
    return past[-1] if past else None


def _latest_on_or_before(month: int, day: int, limit: datetime.date) -> datetime.date | None:
    for year in (limit.year, limit.year - 1):
        date = _safe_date(year, month, day)
        if date is not None and date <= limit:
            return date
    return None


def _earliest_on_or_after(month: int, day: int, limit: datetime.date) -> datetime.date | None:
    for year in (limit.year, limit.year + 1):
        date = _safe_date(year, month, day)
        if date is not None and date >= limit:
            return date
    return None


def _bare_month(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "March", "last April", "this September", "March this year", "early December"."""
    match = re.search(rf"\b{_MONTH_RE}", cleaned)
    if not match or not _month_word_is_date(cleaned, match):
        return None
    month = MONTHS[match.group("month")]
    if anchor is None:
        return _needs_anchor("month")
    year = _stated_relative_year(cleaned, anchor)
    if year is None:
        year = _year_of_month(month, cleaned[: match.start()], anchor)
    return _month(year, month, True)


def _month_word_is_date(cleaned: str, match: re.Match[str]) -> bool:
    """ "may" and "march" are also a verb; accept them only without other words around."""
    if match.group("month") not in ("may", "march", "mar"):
        return True
    rest = (cleaned[: match.start()] + cleaned[match.end() :]).strip()
    return re.fullmatch(r"(?:(?:in|of|the|early|mid|late|last|next|this|since|until|by|"
                        r"from|end|beginning|middle|start|this year|last year|next year)"
                        r"\s*)*", rest) is not None  # fmt: skip


def _year_of_month(month: int, before: str, anchor: datetime.date) -> int:
    """The year of a month named without one, from "last"/"next"/"this" or nearness."""
    if re.search(r"\b(?:last|past|previous)\b", before):
        return anchor.year if month < anchor.month else anchor.year - 1
    if re.search(r"\b(?:next|coming)\b", before):
        return anchor.year if month > anchor.month else anchor.year + 1
    if re.search(r"\bthis\b", before):
        return anchor.year
    ahead = (month - anchor.month) % 12
    year = anchor.year if ahead == 0 or month > anchor.month else anchor.year + 1
    return year if ahead <= FUTURE_WINDOW_MONTHS else year - 1


# ---------------------------------------------------------------- seasons


def _season(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "this fall", "last spring", "the summer", "spring this year"."""
    match = re.search(r"\b(spring|summer|fall|autumn|winter)\b", cleaned)
    if not match:
        return None
    code = SEASONS[match.group(1)]
    if anchor is None:
        return _needs_anchor("season")
    year = _stated_relative_year(cleaned, anchor)
    if year is None:
        year = _year_of_season(code, cleaned[: match.start()], anchor)
    return DateValue(f"{year:04d}-{code}", "season", True)


def _year_of_season(code: str, before: str, anchor: datetime.date) -> int:
    current = SEASON_ORDER.index(_season_of(anchor))
    wanted = SEASON_ORDER.index(code)
    if re.search(r"\b(?:last|past|previous)\b", before) and "this past" not in before:
        return anchor.year if wanted < current else anchor.year - 1
    if re.search(r"\b(?:next|coming)\b", before):
        return anchor.year if wanted > current else anchor.year + 1
    return anchor.year


def _season_of(date: datetime.date) -> str:
    return SEASON_ORDER[(date.month % 12) // 3]


# ---------------------------------------------------------------- years


_CLOCK_TIME_RE = re.compile(r"\d:\d|\b(?:gmt|utc|[ap]\.?m\b|hours|hrs|est|edt|cst|pst|bst|cet)\b")


def _explicit_year(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "1998", "fiscal 1989", "mid-1996", "nineteen ninety six", "the year two thousand"."""
    if _CLOCK_TIME_RE.search(cleaned):  # "1530 GMT" is a time, not a year
        return None
    year = _year_in(cleaned)
    if year is not None:
        return _year(year, False)
    short = re.search(r"(?:^|\s)'(\d\d)\b", cleaned)
    if short:
        year = _full_year(short.group(1), anchor)
        return _year(year, True) if year is not None else _needs_anchor("year")
    return None


# ---------------------------------------------------------------- days relative to the anchor

_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
              "this evening": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
              "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip


def _day_word(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "today", "late yesterday", "tomorrow", "the day before yesterday", "tonight"."""
    for phrase in sorted(_DAY_WORDS, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", cleaned):
            if anchor is None:
                return _needs_anchor("day")
            return _day(anchor + datetime.timedelta(days=_DAY_WORDS[phrase]), True)
    return None


def _weekday(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "Friday" (on or before the anchor), "last Friday", "next Tuesday", "this coming Sunday"."""
    match = re.search(_WEEKDAY_RE, cleaned)
    if not match:
        return None
    if anchor is None:
        return _needs_anchor("day")
    wanted = WEEKDAYS[match.group("weekday").rstrip(".")]
    before = cleaned[: match.start()]
    back = (anchor.weekday() - wanted) % 7
    if re.search(r"\b(?:next|coming)\b", before):
        return _day(anchor + datetime.timedelta(days=(wanted - anchor.weekday() - 1) % 7 + 1), True)
    if re.search(r"\b(?:last|previous|past)\b", before):
        back = back or 7
    elif back == 6:  # the day after the anchor's weekday: news means tomorrow, not 6 days ago
        back = -1
    return _day(anchor - datetime.timedelta(days=back), True)


# ---------------------------------------------------------------- counted offsets ("two years ago")

_AGO_RE = re.compile(
    rf"\b{_NUMBER_RE} (?P<unit>day|week|month|year|decade)s? (?:or so )?"
    r"(?P<direction>ago|earlier|before|from now|hence|later)\b"
)


def _counted_offset(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "two years ago", "10 days ago", "a year earlier", "six weeks ago", "five months ago"."""
    match = _AGO_RE.search(cleaned)
    if not match:
        return None
    count = _number(match.group("count"))
    unit = match.group("unit")
    if count is None or match.group("direction") == "later":
        return _needs_anchor(UNIT_GRANULARITY[unit])
    if anchor is None:
        return _needs_anchor(UNIT_GRANULARITY[unit])
    sign = 1 if match.group("direction") in ("from now", "hence") else -1
    return _offset_value(anchor, unit, sign * count)


def _offset_value(anchor: datetime.date, unit: str, delta: int) -> DateValue:
    if unit == "day":
        return _day(anchor + datetime.timedelta(days=delta), True)
    if unit == "week":
        return _week(anchor + datetime.timedelta(weeks=delta), True)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, delta)
        return _month(year, month, True)
    if unit == "decade":
        return DateValue(f"{(anchor.year + 10 * delta) // 10:03d}", "decade", True)
    return _year(anchor.year + delta, True)


# ---------------------------------------------------------------- "this week", "last year"

_UNIT_RE = re.compile(
    r"\b(?P<which>this|current|last|past|previous|prior|next|coming|following|same|latest)"
    r" (?:fiscal |calendar |full )?(?P<unit>week|month|year)\b"
)
_SHIFT = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1,
          "prior": -1, "latest": -1, "next": 1, "coming": 1}  # fmt: skip


def _named_unit(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "this week", "last month", "next year", "earlier this year", "the past year"."""
    match = _UNIT_RE.search(cleaned)
    if match:
        which = match.group("which")
        if which == "following":
            return _needs_anchor(UNIT_GRANULARITY[match.group("unit")])
        return _unit_shifted(anchor, match.group("unit"), _SHIFT[which])
    if re.search(r"\byear (?:ago|earlier)\b", cleaned):
        return _unit_shifted(anchor, "year", -1)
    if _means_anchor_year(cleaned):
        return _unit_shifted(anchor, "year", 0)
    if re.fullmatch(r"(?:the )?(?:end|beginning|start|middle) of the (week|month)", cleaned):
        return _unit_shifted(anchor, cleaned.rsplit(" ", 1)[1], 0)
    return None


def _means_anchor_year(cleaned: str) -> bool:
    """ "the year", "the fiscal year", "year end", "the first ten months of the year"."""
    if re.search(r"\b(?:of|in) the (?:fiscal |calendar )?year\b", cleaned):
        return True
    return (
        re.fullmatch(
            r"(?:the |around )?(?:end of the )?(?:full |whole |fiscal |calendar )?year"
            r"(?: end| to date)?",
            cleaned,
        )
        is not None
    )


def _unit_shifted(anchor: datetime.date | None, unit: str, delta: int) -> DateValue:
    if anchor is None:
        return _needs_anchor(UNIT_GRANULARITY[unit])
    return _offset_value(anchor, unit, delta)


# ---------------------------------------------------------------- holidays


def _thanksgiving(year: int) -> datetime.date:
    first = datetime.date(year, 11, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 21)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _last_monday_of_may(year: int) -> datetime.date:
    last = datetime.date(year, 5, 31)
    return last - datetime.timedelta(days=last.weekday())


HOLIDAYS: dict[str, Callable[[int], datetime.date]] = {
    "christmas eve": lambda year: datetime.date(year, 12, 24),
    "christmas": lambda year: datetime.date(year, 12, 25),
    "new year eve": lambda year: datetime.date(year, 12, 31),
    "new year day": lambda year: datetime.date(year, 1, 1),
    "thanksgiving": _thanksgiving,
    "independence day": lambda year: datetime.date(year, 7, 4),
    "fourth of july": lambda year: datetime.date(year, 7, 4),
    "july fourth": lambda year: datetime.date(year, 7, 4),
    "halloween": lambda year: datetime.date(year, 10, 31),
    "valentine day": lambda year: datetime.date(year, 2, 14),
    "labor day": lambda year: _nth_weekday(year, 9, 0, 1),
    "memorial day": _last_monday_of_may,
    "election day": lambda year: _nth_weekday(year, 11, 0, 1) + datetime.timedelta(days=1),
}

_HOLIDAY_NAMES = {name: re.compile(rf"\b{name}\b") for name in HOLIDAYS}


def _holiday(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "Christmas", "last Thanksgiving", "New Year's Day 2000", "Labor Day"."""
    plain = cleaned.replace("'", " ").replace("  ", " ")
    plain = re.sub(r"\byears\b", "year", plain)
    name = next((name for name, named in _HOLIDAY_NAMES.items() if named.search(plain)), None)
    if name is None:
        return None
    rule = HOLIDAYS[name]
    year = _year_in(plain)
    if year is not None:
        return _day(rule(year), False)
    if anchor is None:
        return _needs_anchor("day")
    dates = [rule(anchor.year + delta) for delta in (-1, 0, 1)]
    if re.search(r"\b(?:last|past|previous)\b", plain):
        dates = [date for date in dates if date < anchor]
        return _day(dates[-1], True)
    if re.search(r"\b(?:next|coming)\b", plain):
        dates = [date for date in dates if date > anchor]
        return _day(dates[0], True)
    return _day(min(dates, key=lambda date: (abs((date - anchor).days), date > anchor)), True)


# ---------------------------------------------------------------- references

_REFERENCES = (
    ("PRESENT_REF", r"now|currently|nowadays|these days|at present|the present|present day"
                    r"|at the moment|right now|at this time|current"),
    ("PAST_REF", r"recently|recent (?:years|months|weeks|days|times|decades)|the past"
                 r"|in the past|previously|formerly|recent"),
    ("FUTURE_REF", r"the future|in the future|soon|the coming (?:years|months|weeks|days)"
                   r"|coming (?:years|months|weeks|days)|future|someday|one day|the near term"
                   r"|in years to come"),
)  # fmt: skip


def _reference(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "now"/"currently" -> PRESENT_REF, "recent years" -> PAST_REF, "the future"."""
    for value, pattern in _REFERENCES:
        if re.fullmatch(rf"(?:(?:the|in|for|until|up|to|of|near|very|more|most|just|right|"
                        rf"distant|immediate|foreseeable) )*(?:{pattern})", cleaned):  # fmt: skip
            return DateValue(value, "reference", False)
    return None


# ---------------------------------------------------------------- rule order


def _week_of(cleaned: str, anchor: datetime.date | None) -> DateValue | None:
    """ "the week of May 8" -> the ISO week holding that day."""
    match = re.search(r"\bweek of (.+)$", cleaned)
    if not match:
        return None
    inner = _explicit_day(match.group(1), anchor) or _month_day(match.group(1), anchor)
    if inner is None or inner.value is None or inner.granularity != "day":
        return inner and DateValue(None, "week", inner.relative)
    return _week(datetime.date.fromisoformat(inner.value), inner.relative)


_RULES: tuple[Callable[[str, datetime.date | None], DateValue | None], ...] = (
    _numeric_date,
    _week_of,
    _explicit_day,
    _explicit_month,
    _explicit_season,
    _quarter,
    _half,
    _decade,
    _century,
    _month_day,
    _holiday,
    _bare_month,
    _explicit_year,
    _day_word,
    _weekday,
    _counted_offset,
    _season,
    _named_unit,
    _reference,
)


# ---------------------------------------------------------------- spans

_SPLIT_RE = re.compile(
    r"\s+(?:to|and|through|thru|or|until|till)\s+|\s*-\s*(?=\d)|\s+(?=ended\b|ending\b)"
)
_LEAD_RE = re.compile(r"^(?:between|from)\s+", re.IGNORECASE)
_MISSED_RE = Caseless(
    r"\b(?:(?:"
    + any_of(["last", "next", "this", "early", "late", "earlier", "later"])
    + r")\s+)?(?:"
    + any_of(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        + ["today", "yesterday", "tomorrow", "tonight", "thanksgiving", "christmas"]
    )
    + r")\b"
)
# A month and a day (`Nov. 12`, `March 3, 2024`, `23 October 2024`) is a date wherever it
# stands, also where the model saw none or took it into a TIME (`the night of Nov. 12`).
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_CALENDAR_DATE_RE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?![\d:.,]\d)\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b(?:,?\s+\d{{4}})?"
)
_DAY_LEVEL_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday"
    r"|tomorrow|tonight)\b",
    re.IGNORECASE,
)


def find_date_spans(text: str, spacy_spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Date mention spans from spaCy's (start, end, label) entities, fixed for normalisation.

    DATE spans are kept, split at range words ("between 1982 and 1992" gives two spans) and
    before "ended" ("the quarter ended Aug. 31" gives "the quarter" and "ended Aug. 31", whose
    "ended" tells `normalize_date` the day is past). TIME spans are kept only when they name a
    day ("Friday night", "later today"), EVENT spans only when they are a holiday
    ("Thanksgiving Day"). Weekdays, "today", "yesterday", "tomorrow" and holidays that no entity
    covers are added. The result is sorted; the spans do not overlap.
    """
    spans: list[tuple[int, int]] = []
    for start, end, label in spacy_spans:
        if _is_date_entity(text[start:end], label):
            spans.extend(_split_range(text, start, end))
    covered = Taken((start, end) for start, end, _ in spacy_spans)
    for match in _MISSED_RE.finditer(text):
        if not covered.overlaps(match.start(), match.end()):
            spans.append((match.start(), match.end()))
    dates = Taken(spans)
    for match in _CALENDAR_DATE_RE.finditer(text):
        if not dates.overlaps(match.start(), match.end()):
            spans.append((match.start(), match.end()))
    return sorted(set(spans))


def _is_date_entity(span_text: str, label: str) -> bool:
    if label == "DATE":
        return True
    if label == "TIME":
        return _DAY_LEVEL_RE.search(span_text) is not None
    return label == "EVENT" and _holiday(_clean(span_text), None) is not None


def _split_range(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at range words into parts that each still hold a date on their own."""
    piece = text[start:end]
    lead = _LEAD_RE.match(piece)
    offset = lead.end() if lead else 0
    parts: list[tuple[int, int]] = []
    for match in _SPLIT_RE.finditer(piece, offset):
        parts.append((offset, match.start()))
        offset = match.end()
    parts.append((offset, len(piece)))
    if len(parts) == 1 or not all(_stands_alone(piece[a:b]) for a, b in parts):
        return [(start, end)]
    return [(start + a, start + b) for a, b in parts]


def _stands_alone(part: str) -> bool:
    """Whether a piece of a range is itself a date ("1992", "Oct. 20"), not "25" or "six"."""
    return bool(part.strip()) and (
        normalize_date(part, anchor=datetime.date(2000, 1, 1)).value is not None
    )
