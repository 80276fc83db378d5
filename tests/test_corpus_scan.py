"""The corpus stage's fast text scan finds exactly the tokens a plain token-by-token scan finds."""

from __future__ import annotations

import random

from newsents.models import Sentence
from newsents.resolve.corpus import _TOKEN, _first_words_of_names

FIRST_WORDS = {"US": ["US Senate"], "Tony": ["Tony Blair"], "e-Bay": ["e-Bay"], "U.S.": ["U.S."]}
FIRST_WORDS |= {"Bank": ["Bank of England"], "O'Neill": ["O'Neill"], "AT&T": ["AT&T"]}


def _token_by_token(text: str, sentence: Sentence) -> list[tuple[int, str]]:
    """Every token of the sentence, in order, whose form less final stops is a first word."""
    found = []
    for token in _TOKEN.finditer(text, sentence.start, sentence.end):
        word = token.group(0).rstrip(".,")
        if word in FIRST_WORDS:
            found.append((token.start(), word))
    return found


def _scan(text: str, start: int = 0, end: int | None = None) -> tuple[list, list]:
    sentence = Sentence(index=0, start=start, end=len(text) if end is None else end, section="body")
    return _first_words_of_names(text, sentence, FIRST_WORDS), _token_by_token(text, sentence)


def test_names_first_words_are_found_where_tokens_start():
    text = (
        "The US said 'Tony Blair' met USA officials. Non-US banks, the U.S. and US. "
        "Tony's aide, e-Bay and AT&T, O'Neill's Bank. xTony, -Tony, .Tony, a.US"
    )
    fast, plain = _scan(text)
    assert fast == plain
    assert (text.index("'Tony") + 1, "Tony") in fast  # after a quote mark
    assert all(word != "US" or text[at : at + 3] != "USA" for at, word in fast)  # not in USA
    assert not any(text[at - 1 : at] == "x" for at, _ in fast)  # not inside a longer word


def test_a_sentence_bounds_the_scan():
    text = "Tony Blair and the US. Tony went home."
    fast, plain = _scan(text, 3, 21)
    assert fast == plain and [w for _, w in fast] == ["US"]


def test_the_fast_scan_agrees_with_the_plain_one_on_random_text():
    pieces = [*FIRST_WORDS, "USA", "Tonya", "the", "-", "'", "’", ".", ",", " ", "&", "x", "é"]
    rng = random.Random(12)
    for _ in range(400):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(30))
        start = rng.randrange(0, 10)
        fast, plain = _scan(text, start)
        assert fast == plain, text
