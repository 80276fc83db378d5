"""Regular expressions the rules build from word lists.

Here, not in lexicon.py, because lexicon.py is part of what the model reads (its fingerprint
keys the stored model output): a change here makes stores resolve again, never run the
model again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def any_of(terms: Iterable[str]) -> str:
    """A regular expression matching any of the terms, the longest where several begin at one
    place, written as a trie: `re` tries a plain alternation's terms one by one at every
    position of a text, a trie one character at a time (a report's sport terms took a quarter
    of a millisecond an article the plain way)."""
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A term may end here: trying the longer ones first (greedy) keeps the longest match.
    return f"(?:{pattern})?" if "" in node else pattern


# Letters that a case-insensitive pattern matches to an ASCII letter but that do not lower-case
# to one (`ſ` matches `s`), or that lower-case to two characters (`İ`).
_CASE_ODDITIES = "İıſ"


class Caseless:
    """A case-insensitive pattern written in ASCII lower case, searched in the lower-cased text
    with a case-sensitive one: the same matches at the same places, two to three times faster
    over a whole article (`re` case-folds every character it compares). A text holding one of
    `_CASE_ODDITIES` is searched as it is. A match's text is the lower-cased one."""

    def __init__(self, pattern: str) -> None:
        if not pattern.isascii() or any(ch.isupper() for ch in pattern):
            raise ValueError(f"not ASCII lower case: {pattern}")
        self.pattern = pattern
        self._lower = re.compile(pattern)
        self._caseless = re.compile(pattern, re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if any(odd in text for odd in _CASE_ODDITIES):
            return self._caseless.finditer(text)
        return self._lower.finditer(text.lower())
