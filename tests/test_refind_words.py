"""Finding an article's names again: the scan by first word finds what reading word by word
finds, in any text (letters of any script, `&`, `_`, digits, a sentence cut mid-word)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsents.resolve.article import _by_first_word, _first_words_in, _occurrences

_WORD = re.compile(r"(?<![\w&])\w+")


def occurrences_word_by_word(
    text: str, start: int, end: int, names: list[str]
) -> list[tuple[int, int, str]]:
    """The plain reading: every word between start and end, the longest name at each."""
    by_first_word = _by_first_word(names)
    found: list[tuple[int, int, str]] = []
    at = start
    for word in _WORD.finditer(text, start, end):
        if word.start() < at:
            continue
        for name in by_first_word.get(word.group(0), ()):
            stop = word.start() + len(name)
            goes_on = stop < len(text) and (text[stop].isalnum() or text[stop] in "_&")
            if stop <= end and text.startswith(name, word.start()) and not goes_on:
                found.append((word.start(), stop, name))
                at = stop
                break
    return found


pieces = st.sampled_from(["Ann", "Lee", "Ann Lee", "Lee & Co", "Co", "Añn", "é", "_", "9"])
gaps = st.sampled_from([" ", "  ", "&", "-", ".", "\n", "A", "n", ""])
texts = st.lists(st.tuples(pieces, gaps), max_size=12).map(
    lambda parts: "".join(piece + gap for piece, gap in parts)
)
names = st.lists(st.sampled_from(["Ann", "Ann Lee", "Lee", "Lee & Co", "Co", "Añn", "9"]))


@given(texts, names, st.integers(0, 40), st.integers(0, 40))
def test_names_found_by_first_word_as_word_by_word(
    text: str, wanted: list[str], start: int, length: int
) -> None:
    end = min(len(text), start + length)
    by_first_word = _by_first_word(wanted)
    found = _occurrences(text, start, end, by_first_word, _first_words_in(text, by_first_word))
    assert found == occurrences_word_by_word(text, start, end, wanted)


def test_a_name_inside_a_longer_word_or_after_an_ampersand_is_not_found() -> None:
    text = "Annals of Lee. AT&Lee Ann Lee"
    by_first_word = _by_first_word(["Lee", "Ann Lee", "Ann"])
    found = _occurrences(text, 0, len(text), by_first_word, _first_words_in(text, by_first_word))
    assert found == [(10, 13, "Lee"), (22, 29, "Ann Lee")]
