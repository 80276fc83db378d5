"""newsents: turn a folder of news articles into an entity graph.

    >>> from newsents import extract, open_store, find_entity
    >>> store = open_store("newsents.db")
    >>> graph = extract(["seeds/"], store=store).graph
    >>> [e.name for e in graph.entities if e.type == "person"]
    >>> find_entity(store, "Binance")[0].neighbours

Nothing here imports spaCy until `extract` has an article to analyse.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsents.evaluate import evaluate
    from newsents.explore import find_entity
    from newsents.graph import build_graph
    from newsents.load import ReadOptions, read_article, read_source
    from newsents.models import Article, Entity, Graph
    from newsents.pipeline import ExtractResult, extract, rebuild
    from newsents.store import Store, open_store
    from newsents.train import train

# Where each name lives: imported when first used, so a command (`newsents show`) loads only
# the stages it needs and answers at once.
_HOMES = {
    "evaluate": "newsents.evaluate",
    "find_entity": "newsents.explore",
    "build_graph": "newsents.graph",
    "ReadOptions": "newsents.load",
    "read_article": "newsents.load",
    "read_source": "newsents.load",
    "Article": "newsents.models",
    "Entity": "newsents.models",
    "Graph": "newsents.models",
    "ExtractResult": "newsents.pipeline",
    "extract": "newsents.pipeline",
    "rebuild": "newsents.pipeline",
    "Store": "newsents.store",
    "open_store": "newsents.store",
    "train": "newsents.train",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'newsents' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Article",
    "Entity",
    "ExtractResult",
    "Graph",
    "ReadOptions",
    "Store",
    "build_graph",
    "rebuild",
    "evaluate",
    "extract",
    "find_entity",
    "open_store",
    "read_article",
    "read_source",
    "train",
]
