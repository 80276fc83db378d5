from __future__ import annotations

import datetime as dt

import pytest

from newsents.resolve.dates import DateValue, find_date_spans, normalize_date

WEDNESDAY = dt.date(2017, 9, 20)  # anchor for most cases: Wednesday 20 September 2017


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("September 2017", "2017-09", "month"),
        ("Sept. 2017", "2017-09", "month"),
        ("Sept. 14, 2017", "2017-09-14", "day"),
        ("January 8, 1998", "1998-01-08", "day"),
        ("8 January 1998", "1998-01-08", "day"),
        ("the 8th of January, 1998", "1998-01-08", "day"),
        ("1998-01-08", "1998-01-08", "day"),
        ("01/08/1998", "1998-01-08", "day"),
        ("1998", "1998", "year"),
        ("early 1998", "1998", "year"),
        ("mid-1996", "1996", "year"),
        ("fiscal 1989", "1989", "year"),
        ("nineteen ninety-six", "1996", "year"),
        ("the year two thousand", "2000", "year"),
        ("May nineteen eighty-four", "1984-05", "month"),
        ("the 1990s", "199", "decade"),
        ("the mid-1980s", "198", "decade"),
        ("the 20th century", "19", "century"),
        ("the summer of 1998", "1998-SU", "season"),
        ("the third quarter of 2016", "2016-Q3", "quarter"),
        ("the first half of 2016", "2016-H1", "half"),
        ("Christmas 2010", "2010-12-25", "day"),
    ],
)
def test_absolute_dates_resolve_with_or_without_anchor(
    text: str, value: str, granularity: str
) -> None:
    expected = DateValue(value, granularity, False)  # type: ignore[arg-type]
    assert normalize_date(text, anchor=None) == expected
    assert normalize_date(text, anchor=WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("today", "2017-09-20", "day"),
        ("late yesterday", "2017-09-19", "day"),
        ("tomorrow", "2017-09-21", "day"),
        ("Wednesday", "2017-09-20", "day"),  # the anchor's own weekday is the anchor
        ("Monday", "2017-09-18", "day"),
        ("Friday", "2017-09-15", "day"),
        ("Thursday", "2017-09-21", "day"),  # the day after the anchor's weekday is tomorrow
        ("last Friday", "2017-09-15", "day"),
        ("last Wednesday", "2017-09-13", "day"),
        ("next Tuesday", "2017-09-26", "day"),
        ("Friday's", "2017-09-15", "day"),
        ("Sept. 14", "2017-09-14", "day"),
        ("Oct. 2", "2017-10-02", "day"),  # soon ahead: the coming one
        ("June 30", "2017-06-30", "day"),
        ("Nov. 3", "2017-11-03", "day"),
        ("Feb. 3", "2017-02-03", "day"),  # over four months ahead: the past one
        ("the quarter ended May 31", "2017-05-31", "day"),
        ("March", "2017-03", "month"),
        ("in May", "2017-05", "month"),
        ("early December", "2017-12", "month"),
        ("last October", "2016-10", "month"),
        ("last August", "2017-08", "month"),
        ("this December", "2017-12", "month"),
        ("March this year", "2017-03", "month"),
        ("July last year", "2016-07", "month"),
        ("this week", "2017-W38", "week"),
        ("earlier this week", "2017-W38", "week"),
        ("last week", "2017-W37", "week"),
        ("next week", "2017-W39", "week"),
        ("this month", "2017-09", "month"),
        ("last month's", "2017-08", "month"),
        ("next month", "2017-10", "month"),
        ("this year", "2017", "year"),
        ("last year", "2016", "year"),
        ("the past year", "2016", "year"),
        ("next year", "2018", "year"),
        ("early next year", "2018", "year"),
        ("a year earlier", "2016", "year"),
        ("year-earlier", "2016", "year"),
        ("two years ago", "2015", "year"),
        ("nearly four years ago", "2013", "year"),
        ("five months ago", "2017-04", "month"),
        ("10 days ago", "2017-09-10", "day"),
        ("this fall", "2017-FA", "season"),
        ("spring this year", "2017-SP", "season"),
        ("the third quarter", "2017-Q3", "quarter"),
        ("the latest quarter", "2017-Q2", "quarter"),
        ("the nineties", "199", "decade"),
        ("last Thanksgiving", "2016-11-24", "day"),
        ("the week of May 8", "2017-W19", "week"),
    ],
)
def test_relative_dates_resolve_against_the_anchor(text: str, value: str, granularity: str) -> None:
    assert normalize_date(text, anchor=WEDNESDAY) == DateValue(value, granularity, True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["today", "yesterday", "Friday", "last Friday", "next Tuesday", "March", "Jan. 8",
     "March this year", "this week", "last year", "two years ago", "this fall",
     "the third quarter", "Christmas"],
)  # fmt: skip
def test_relative_dates_without_anchor_have_no_value(text: str) -> None:
    """Never today's date: without an anchor a relative expression stays unresolved."""
    result = normalize_date(text, anchor=None)
    assert result.value is None
    assert result.relative is True


def test_month_this_year_uses_the_anchor_year() -> None:
    assert normalize_date("March this year", anchor=dt.date(2018, 6, 1)).value == "2018-03"


def test_month_without_year_prefers_the_past_beyond_four_months() -> None:
    anchor = dt.date(2018, 6, 1)
    assert normalize_date("August", anchor=anchor).value == "2018-08"
    assert normalize_date("December", anchor=anchor).value == "2017-12"
    assert normalize_date("December", anchor=dt.date(2018, 11, 2)).value == "2018-12"
    assert normalize_date("February", anchor=dt.date(2018, 11, 2)).value == "2019-02"
    assert normalize_date("April", anchor=dt.date(2018, 11, 2)).value == "2018-04"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("now", "PRESENT_REF"),
        ("currently", "PRESENT_REF"),
        ("recent years", "PAST_REF"),
        ("in the past", "PAST_REF"),
        ("the future", "FUTURE_REF"),
    ],
)
def test_references_need_no_anchor(text: str, value: str) -> None:
    assert normalize_date(text, anchor=None) == DateValue(value, "reference", False)


@pytest.mark.parametrize("text", ["five", "the day", "", "the weekend", "1530 GMT", "later"])
def test_non_dates_give_no_value(text: str) -> None:
    assert normalize_date(text, anchor=WEDNESDAY).value is None


def test_find_date_spans_splits_ranges_and_adds_missed_day_words() -> None:
    text = "Sales rose between 1982 and 1992, the company said Friday. Today shares fell."
    between = text.index("between")
    spans = find_date_spans(text, [(between, between + len("between 1982 and 1992"), "DATE")])
    assert [text[start:end] for start, end in spans] == ["1982", "1992", "Friday", "Today"]


def test_find_date_spans_splits_period_phrases_and_keeps_day_times() -> None:
    text = "Revenue for the quarter ended Aug. 31 slipped; talks resume Friday night."
    quarter = text.index("the quarter")
    night = text.index("Friday night")
    ents = [
        (quarter, quarter + len("the quarter ended Aug. 31"), "DATE"),
        (night, night + len("Friday night"), "TIME"),
    ]
    spans = [text[start:end] for start, end in find_date_spans(text, ents)]
    assert spans == ["the quarter", "ended Aug. 31", "Friday night"]
    assert normalize_date("ended Aug. 31", anchor=dt.date(2017, 10, 25)).value == "2017-08-31"


def test_find_date_spans_ignores_clock_times_and_other_entities() -> None:
    text = "Fighting began at 10:30 a.m. near Paris."
    ents = [(18, 28, "TIME"), (34, 39, "GPE")]
    assert find_date_spans(text, ents) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The shop was robbed on the night of Nov. 12 while empty.", ["Nov. 12"]),
        (
            "Filed on March 3, 2024 and heard on 23 October 2024.",
            ["March 3, 2024", "23 October 2024"],
        ),
        ("Shares rose 2.5 percent in Jan trading.", []),
    ],
)
def test_a_month_and_a_day_are_a_date_where_the_model_saw_none(text, expected) -> None:
    assert [text[a:b] for a, b in find_date_spans(text, [])] == expected


def test_a_month_and_a_day_inside_a_time_entity_are_still_a_date() -> None:
    text = "The shop was robbed on the night of Nov. 12 while empty."
    start = text.index("the night")
    spans = find_date_spans(text, [(start, text.index(" while empty"), "TIME")])
    assert [text[a:b] for a, b in spans] == ["Nov. 12"]
