"""Case-insensitive searches made in the lower-cased text find the same matches at the same
places as `re.IGNORECASE`, in any text."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsents.resolve.dates import _MISSED_RE
from newsents.resolve.patterns import _CASE_ODDITIES, Caseless
from newsents.resolve.sports import _TERM

texts = st.lists(
    st.sampled_from(["Last ", "FRIDAY", "friday", "Today", "tonight", "ſunday", "İ", "K", "-"])
    | st.sampled_from(["goal", "GOALS", "Wicket", "touchdown", "_", "é", " ", "\n", "7", "ı"])
).map("".join)


@settings(max_examples=300)
@given(texts)
@example("next ſunday")  # `ſ` matches `s` only case-insensitively
@example("İ Friday")  # lower-cased, `İ` is two characters
def test_caseless_finds_what_ignorecase_finds(text: str) -> None:
    for pattern in (_MISSED_RE, _TERM):
        caseless = re.compile(pattern.pattern, re.IGNORECASE)
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in caseless.finditer(text)
        ]


def _characters() -> list[str]:
    return [chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]


def test_the_oddities_are_every_letter_lower_casing_cannot_stand_for() -> None:
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        ch
        for ch in _characters()
        if len(ch.lower()) != 1 or ascii_letter.fullmatch(ch) and not ch.lower().isascii()
    }
    assert odd == set(_CASE_ODDITIES)


def test_lower_casing_keeps_what_is_a_word_character() -> None:
    word = re.compile(r"\w")
    changed = [
        ch
        for ch in _characters()
        if len(ch.lower()) == 1 and bool(word.match(ch)) != bool(word.match(ch.lower()))
    ]
    assert changed == []


@pytest.mark.parametrize("pattern", ["Friday", "café"])
def test_a_pattern_that_is_not_ascii_lower_case_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        Caseless(pattern)
