"""Turn the model's spans into clean, typed mentions with a canonical key.

Mentions with the same type and key are one entity; `graph` groups them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsents.models import EntityType, ResolvedMention, Section

TYPE_OF_LABEL: dict[str, EntityType] = {
    "PERSON": "person",
    "PER": "person",
    "BYLINE": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "DATE": "date",
}

_QUOTES = "\"'“”‘’«»‹›„‚`"
_EDGE_PUNCT = _QUOTES + "()[]{}<>,;:!?*•·|/\\–—-_ "
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ASCII_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})


@dataclass(frozen=True)
class RawMention:
    """A span as the model (or the loader, for bylines) gave it."""

    start: int
    end: int
    label: str
    section: Section
    sentence: int


def clean_name(span_text: str) -> str:
    """The entity's name for a span: no leading `the`, no possessive, no wrapping punctuation."""
    name = _SPACES.sub(" ", span_text).strip(_EDGE_PUNCT)
    name = _LEADING_THE.sub("", name)
    if _POSSESSIVE.search(name):
        name = name[:-1] if name[-1] in "'’" else name[:-2]
    name = name.strip(_EDGE_PUNCT)
    return _strip_sentence_period(name)


def _strip_sentence_period(name: str) -> str:
    """Drop a full stop that ends the sentence, keep the one of an abbreviation (U.S., Inc.)."""
    if not name.endswith("."):
        return name
    last_word = name.rsplit(" ", 1)[-1]
    is_abbreviation = "." in last_word[:-1] or len(last_word) <= 4
    return name if is_abbreviation else name[:-1]


def canonical_key(name: str) -> str:
    """Case-, accent-, quote- and dot-insensitive form of a name: `U.S.` and `US` agree."""
    text = unicodedata.normalize("NFKC", name).translate(_ASCII_QUOTES).casefold()
    text = text.replace(".", "")
    return _SPACES.sub(" ", text).strip()


def resolve_article(raw: Iterable[RawMention], text: str) -> list[ResolvedMention]:
    """Clean and type every span of one article; spans of other labels are dropped."""
    resolved = []
    for mention in raw:
        entity_type = TYPE_OF_LABEL.get(mention.label)
        if entity_type is None:
            continue
        span_text = text[mention.start : mention.end]
        name = clean_name(span_text)
        if not any(ch.isalnum() for ch in name):
            continue
        resolved.append(
            ResolvedMention(
                start=mention.start,
                end=mention.end,
                text=span_text,
                name=name,
                type=entity_type,
                label=mention.label,
                section=mention.section,
                sentence=mention.sentence,
                key=canonical_key(name),
            )
        )
    resolved.sort(key=lambda m: (m.start, m.end))
    return resolved


def preferred_name(names: Iterable[str]) -> str:
    """The name to show for an entity: most used; then not ALL CAPS; then longer; then A-Z."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-counts[n], n.isupper(), -len(n), n))
