"""The word before a span, read backwards from it, is what the patterns anchored at the span
find reading forwards, in any text (letters of any script, digits of any script, `_`, tabs,
line breaks)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsents.resolve.names import titles_before, word_before, word_on_the_line_before

ON_THE_LINE = re.compile(r"([^\W\d][\w.'’-]*)[ \t]+$")
BEFORE = re.compile(r"([A-Za-z][\w.'’-]*)\s+$")

texts = st.text(alphabet="aZé_7٣².’'- \t\n\u00a0,(", max_size=24)


@settings(max_examples=500)
@given(texts, st.integers(0, 24), st.integers(0, 24))
@example("Dr \n", 0, 4)  # the pattern's `$` matches before a last line break
@example("²a\t", 0, 3)  # `²` is a digit but no decimal one: `\d` does not match it
@example("7a ", 1, 3)
def test_word_on_the_line_before_as_the_pattern_finds_it(text: str, lo: int, at: int) -> None:
    at = min(at, len(text))
    lo = min(lo, at)
    found = ON_THE_LINE.search(text, lo, at)
    expected = (found.start(), found.group(1)) if found else None
    assert word_on_the_line_before(text, lo, at) == expected


@settings(max_examples=500)
@given(texts)
@example("x\u00a0")  # any white space, not only spaces and tabs
@example("é7a-b \n")
def test_word_before_as_the_pattern_finds_it(window: str) -> None:
    found = BEFORE.search(window)
    assert word_before(window) == ((found.start(), found.group(1)) if found else None)


def test_titles_are_the_words_on_the_line_before_a_name() -> None:
    text = "Acme said Chief Executive Jo Varga.\nDr\nJo Varga"
    assert titles_before(text, text.index("Jo")) == ["Chief", "Executive"]
    assert titles_before(text, text.rindex("Jo")) == []  # a title on the line above
