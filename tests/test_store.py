import sqlite3

import pytest

from newsents.errors import StoreError
from newsents.models import Article, ArticleAnalysis, Block, ResolvedMention, Sentence
from newsents.store import MIGRATIONS, open_store


def _analysis(article_id: str, path: str, name: str = "Binance") -> ArticleAnalysis:
    text = f"{name} grows."
    return ArticleAnalysis(
        article=Article(id=article_id, path=path, title=name, encoding="utf-8"),
        text=text,
        blocks=[Block(section="body", start=0, end=len(text), text=text)],
        sentences=[Sentence(index=0, start=0, end=len(text), section="body")],
        mentions=[
            ResolvedMention(
                start=0,
                end=len(name),
                text=name,
                name=name,
                type="organization",
                label="ORG",
                section="body",
                sentence=0,
                key=name.casefold(),
            )
        ],
    )


def test_open_store_records_every_migration_once(db):
    open_store(db).close()
    store = open_store(db)
    names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]


def test_store_from_a_newer_version_is_refused_with_a_clear_error(db):
    open_store(db).close()
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO migrations VALUES ('999_future', 'now')")
    with pytest.raises(StoreError, match="newer newsents"):
        open_store(db)


def test_a_changed_file_replaces_its_old_version(db):
    store = open_store(db)
    store.save_analysis(_analysis("old", "a.txt"), model="m", analyzer="1")
    store.save_analysis(_analysis("new", "a.txt", "Huobi"), model="m", analyzer="1")
    assert store.find_article("old") is None
    assert store.article_count() == 1
    store.rebuild_graph()
    assert store.entities_named("binance") == []
    assert [e.name for e in store.entities_named("HUOBI")] == ["Huobi"]


def test_graph_is_rebuilt_only_when_articles_changed(db):
    store = open_store(db)
    store.save_analysis(_analysis("a", "a.txt"), model="m", analyzer="1")
    assert store.graph_is_stale()
    store.rebuild_graph()
    assert not store.graph_is_stale()
    store.set_path("a", "a.txt")
    assert not store.graph_is_stale()


def test_missing_store_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nope" / "x.db")
