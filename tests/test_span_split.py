"""A span is split at separators only where one stands: the quick check for a character every
separator holds never skips one (any text: line breaks, commas, digits of any script, dashes)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from newsents.resolve.spans import _split_at_separators, _split_at_spaced_dashes

texts = st.text(alphabet="Ab \t\n\r,-–—7٣.&", max_size=30)


@given(texts, st.integers(0, 30), st.integers(0, 30))
@example("A ٣ B", 0, 5)  # a number in another script between two names
@example("Ab —  A", 0, 7)
def test_the_quick_check_splits_as_the_separators_do(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(end, len(text))
    assert _split_at_spaced_dashes(text, start, end) == _split_at_separators(text, start, end)


def test_a_name_ends_at_a_spaced_dash() -> None:
    text = "Portugal - Ruben Valcarce"
    assert _split_at_spaced_dashes(text, 0, len(text)) == [(0, 8), (11, 25)]
