"""Taken stretches: built at once from many spans, or one span at a time, they answer alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsents.resolve.intervals import Taken

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=30)


@given(spans, st.integers(0, 60), st.integers(1, 10))
def test_taken_spans_overlap_as_each_character_says(
    taken: list[tuple[int, int]], start: int, length: int
) -> None:
    end = start + length
    chars = {i for s, e in taken for i in range(s, e)}
    assert Taken(taken).overlaps(start, end) == any(i in chars for i in range(start, end))


@given(spans)
def test_taken_built_at_once_equals_taken_one_span_at_a_time(taken: list[tuple[int, int]]) -> None:
    one_by_one = Taken()
    for start, end in taken:
        one_by_one.add(start, end)
    at_once = Taken(taken)
    assert (at_once._starts, at_once._ends) == (one_by_one._starts, one_by_one._ends)
