"""Resolution: from what the model said to clean, typed, keyed mentions.

Per article: `spans` turns the model's output into mention spans (with dates, bylines,
datelines and, in team-sport reports, the sports module's players and sides); `article` runs the
article's passes over them. Across the corpus, `graph` joins what the articles resolved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsents.resolve.spans import analyse_article

__all__ = ["analyse_article"]


def __getattr__(name: str) -> Any:
    # Imported when first used: `resolve.names` alone (the alias file needs it) stays light.
    if name == "analyse_article":
        from newsents.resolve.spans import analyse_article

        return analyse_article
    raise AttributeError(f"module 'newsents.resolve' has no attribute {name!r}")
