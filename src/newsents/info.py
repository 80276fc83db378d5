"""`newsents info`: what a store holds and how it was made, read without NLP."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

from newsents.aliases import AliasRules
from newsents.fingerprint import corpus_rules
from newsents.models import SCHEMA_VERSION
from newsents.store import Store


class StoreInfo(BaseModel):
    """A store at a glance (`newsents info --json`)."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="The store file.")
    size_bytes: int = Field(description="Its size on disk, with its write-ahead log.")
    schema_version: str = Field(description="Of the graph JSON this newsents writes.")
    store_version: str = Field(description="The last migration applied to the store.")
    articles: int
    first_published: str | None = Field(description="The earliest publication date stored.")
    last_published: str | None
    entities: dict[str, int] = Field(description="Entities of each type.")
    mentions: int
    links: int = Field(description="Co-occurrence links.")
    relations: int
    models: dict[str, int] = Field(description="Articles analysed by each model.")
    graph_current: bool = Field(
        description="Whether the graph tables hold every stored article, built by these rules."
    )
    alias_rules: AliasRules = Field(
        description="The alias file's rules the store applies to every graph (kept from the "
        "last `extract` given one)."
    )


def store_info(store: Store) -> StoreInfo:
    """What the store holds, read in one snapshot."""
    db = store.db
    with store.snapshot():
        by_type = dict(
            db.execute("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type")
        )
        first, last = db.execute(
            "SELECT min(published), max(published) FROM articles WHERE published IS NOT NULL"
        ).fetchone()
        models = dict(
            db.execute("SELECT model, count(*) FROM articles GROUP BY model ORDER BY model")
        )
        (last_migration,) = db.execute(
            "SELECT name FROM migrations ORDER BY name DESC LIMIT 1"
        ).fetchone() or ("",)
        mentions = db.execute("SELECT coalesce(sum(mention_count), 0) FROM entities").fetchone()[0]
        links, relations = (
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("edges", "relations")
        )
        return StoreInfo(
            path=store.path,
            size_bytes=sum(
                os.path.getsize(p) for p in (store.path, store.path + "-wal") if os.path.exists(p)
            ),
            schema_version=SCHEMA_VERSION,
            store_version=last_migration,
            articles=store.article_count(),
            first_published=first,
            last_published=last,
            entities=by_type,
            mentions=int(mentions),
            links=int(links),
            relations=int(relations),
            models=models,
            graph_current=not store.graph_is_stale(corpus_rules()),
            alias_rules=store.alias_rules(),
        )
