"""The loader's count of letters and capitals (which decides whether a line is shouting, and so
what the model is shown) is Python's own `str.isalpha` and `str.isupper`, for any text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsents.load.text import _is_all_caps, _letters_and_capitals

texts = st.text() | st.lists(
    st.sampled_from(["NASA ", "says", "É", "é", "ß", "’", "Ⓐ", "ǅ", "Ω", "7", " ", "\n", "_", "Ä"])
).map("".join)


@settings(max_examples=500)
@given(texts)
@example("ⒶⒷⒸⒹ Ⓔ")  # capitals by Unicode, but no letters
@example("ǅUNGLE ǅ")  # a title-case letter is a letter but no capital
@example("ÉCOLE")
def test_letters_and_capitals_are_what_python_says(text: str) -> None:
    letters = [c for c in text if c.isalpha()]
    assert _letters_and_capitals(text) == (len(letters), sum(c.isupper() for c in letters))


def test_a_shouting_line_is_mostly_capitals() -> None:
    assert _is_all_caps("MINISTER QUITS OVER ÉCOLE ROW")
    assert not _is_all_caps("Minister quits over school row")
    assert not _is_all_caps("UN")  # too few letters to tell
    assert _is_all_caps("BREXIT DEAL AGREED, say MPs")  # 18 capitals of 22 letters
    assert not _is_all_caps("BREXIT DEAL AGREED, say the MPs")  # 18 of 25
