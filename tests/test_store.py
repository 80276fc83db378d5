import sqlite3

import pytest

from newsents.errors import StoreError
from newsents.fingerprint import corpus_rules
from newsents.graph import build_graph
from newsents.models import (
    Article,
    ArticleAnalysis,
    Block,
    ModelOutput,
    ResolvedMention,
    Sentence,
)
from newsents.pipeline import refresh_graph
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
    refresh_graph(store)
    assert store.entities_named("binance") == []
    assert [e.name for e in store.entities_named("HUOBI")] == ["Huobi"]


def test_graph_is_stale_when_articles_or_rules_changed(db):
    store = open_store(db)
    store.save_analysis(_analysis("a", "a.txt"), model="m", analyzer="1")
    assert store.graph_is_stale(corpus_rules())
    refresh_graph(store)
    assert not store.graph_is_stale(corpus_rules())
    store.set_path("a", "a.txt")
    assert not store.graph_is_stale(corpus_rules())
    assert store.graph_is_stale("rules of another build")
    store.set_path("a", "b.txt")
    assert store.graph_is_stale(corpus_rules())


def test_the_graph_is_updated_only_from_tables_written_by_these_rules_and_alias_rules(db):
    from newsents.aliases import AliasRules

    store = open_store(db)
    store.save_analysis(_analysis("a", "a.txt"), model="m", analyzer="1")
    refresh_graph(store)
    assert store.graph_base(corpus_rules(), store.alias_rules()) is not None
    assert store.graph_base("rules of another build", store.alias_rules()) is None
    renamed = AliasRules(merge={"Binance Holdings": ["Binance"]})
    assert store.graph_base(corpus_rules(), renamed) is None
    # A new alias file: the graph is built again whole, the entity under its new name.
    store.set_alias_rules(renamed)
    assert refresh_graph(store)
    assert [e.name for e in store.entities_named("binance")] == ["Binance Holdings"]
    assert store.graph_base(corpus_rules(), renamed) is not None


def test_a_graph_built_before_another_writer_changed_the_articles_is_never_marked_fresh(db):
    store = open_store(db)
    store.save_analysis(_analysis("a", "a.txt"), model="m", analyzer="1")
    with store.snapshot() as generation:
        analyses = store.load_analyses()
    other = open_store(db)
    other.save_analysis(_analysis("b", "b.txt", "Huobi"), model="m", analyzer="1")
    other.close()
    graph = build_graph(analyses)
    assert not store.save_graph(graph, {}, generation=generation, rules=corpus_rules())
    assert store.graph_is_stale(corpus_rules())
    assert store.entities_named("binance") == []
    assert refresh_graph(store)
    assert [e.name for e in store.entities_named("huobi")] == ["Huobi"]


def test_the_model_output_of_an_article_is_kept_and_goes_with_its_old_version(db):
    store = open_store(db)
    output = ModelOutput(ents=[(0, 7, "ORG")], sents=[(0, 14)])
    store.save_analysis(_analysis("old", "a.txt"), model="m", analyzer="1", output=output)
    assert store.model_output("old", "m") == output
    assert store.model_output("old", "another model") is None
    store.save_analysis(_analysis("new", "a.txt", "Huobi"), model="m", analyzer="1")
    assert store.model_output("old", "m") is None


def test_missing_store_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nope" / "x.db")


def test_the_model_input_fingerprint_covers_every_word_list_the_loader_reads():
    """A word list the loader reads changes what the model is shown; it must key the cached
    model output, or a changed list would serve outputs of text the model never saw."""
    import re
    from pathlib import Path

    import newsents.load
    from newsents import fingerprint

    package = Path(newsents.load.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    lists = set(re.findall(r'words\("(\w+)"\)', source))
    lexicon = (package.parent / "lexicon.py").read_text(encoding="utf-8")
    for imported in re.findall(r"^from newsents.lexicon import (.+)$", source, re.M):
        for name in imported.split(", "):
            found = re.search(rf'^{name} = .*(?:words|word_map)\("(\w+)"\)', lexicon, re.M)
            if found:
                lists.add(found.group(1))
    assert lists, "the loader reads no word list? the check is broken"
    assert {f"words/{n}.txt" for n in lists} <= set(fingerprint.MODEL_INPUT)


def test_the_model_input_fingerprint_covers_every_model_the_loader_and_nlp_import():
    """What the loader and the model stage import from models.py shapes the model's text and
    output; anything else there (the output models) must not force NLP again."""
    import re
    from pathlib import Path

    import newsents
    from newsents import fingerprint

    package = Path(newsents.__file__).parent
    files = [*sorted((package / "load").glob("*.py")), package / "nlp.py"]
    source = "".join(p.read_text(encoding="utf-8") for p in files)
    imported = set()
    for names in re.findall(r"^from newsents.models import (?:\(([^)]*)\)|(.+))$", source, re.M):
        imported |= {n.strip() for n in "".join(names).replace("\n", ",").split(",") if n.strip()}
    assert {"LoadedArticle", "ModelOutput"} <= imported, "the check is broken"
    assert imported <= set(fingerprint.MODEL_INPUT_MODELS)


def test_an_output_model_edit_keeps_the_model_input_but_an_article_field_changes_it(
    tmp_path, monkeypatch
):
    import shutil
    from pathlib import Path

    import newsents
    from newsents import fingerprint

    copy = tmp_path / "newsents"
    shutil.copytree(Path(newsents.__file__).parent, copy)
    monkeypatch.setattr(fingerprint, "_PACKAGE", copy)

    def model_input_after(old: str, new: str) -> str:
        models = copy / "models.py"
        text = models.read_text(encoding="utf-8")
        assert old in text, "the check is broken"
        models.write_text(text.replace(old, new, 1), encoding="utf-8")
        fingerprint.fingerprint.cache_clear()
        fingerprint.definitions.cache_clear()
        return fingerprint.model_input(), fingerprint.article_rules()

    try:
        before = model_input_after("", "")
        report = model_input_after(
            "class EntityReport(Model):", "class EntityReport(Model):\n    x: int = 0"
        )
        assert report[0] == before[0]  # no NLP again
        assert report[1] != before[1]  # but resolved again from the stored model output
        article = model_input_after(
            "class Article(Model):", "class Article(Model):\n    x: int = 0"
        )
        assert article[0] != before[0]
    finally:
        fingerprint.fingerprint.cache_clear()
        fingerprint.definitions.cache_clear()


def test_a_snapshot_inside_a_snapshot_reads_in_the_outer_ones_view(tmp_path):
    import sqlite3

    from newsents.store import open_store

    db = tmp_path / "news.db"
    open_store(db).close()
    store = open_store(db, create=False)
    writer = sqlite3.connect(db, isolation_level=None)
    with store.snapshot() as outer:
        writer.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        with store.snapshot() as inner:
            assert inner == outer
    writer.close()
    with store.snapshot() as after:
        assert after == outer + 1
    store.close()


def test_the_graph_of_a_run_is_built_in_path_order_whatever_order_it_named_its_articles(db):
    """The corpus passes read the order (a refound name takes its first example's label), so
    a run naming its articles in another order writes the graph a rebuild writes."""
    from test_graph import _analysis as _tagged_analysis

    from newsents.pipeline import ExtractResult, _graph_of_the_run

    def article(article_id, text, label=None):
        at = text.index("Kestrel Dynamics")
        mentions = [(at, at + 16, "organization", label, "body", 0)] if label else []
        return _tagged_analysis(
            article_id, f"{article_id}.txt", text, mentions, [(0, len(text), "body")]
        )

    store = open_store(db)
    named = [
        article("y", "Shares in Kestrel Dynamics rose sharply.", "PRODUCT"),
        article("x", "Kestrel Dynamics won the contract today.", "ORG"),
        article("z", "Analysts doubt that Kestrel Dynamics can deliver."),
    ]
    for analysis in named:
        store.save_analysis(analysis, model="m", analyzer="1")
    result = ExtractResult()
    _graph_of_the_run(store, [a.article.id for a in named], result)
    rebuilt = build_graph(named)
    assert store.load_graph().model_dump_json() == rebuilt.model_dump_json()
    assert [e.label for e in rebuilt.entities] == ["ORG"]


def test_a_run_whose_articles_are_as_many_as_the_stores_but_not_the_same_gets_its_own_graph(db):
    """Another writer removed one of the run's articles and added another meanwhile: the run's
    graph is that of its articles still stored, not the store's."""
    from newsents.pipeline import ExtractResult, _graph_of_the_run

    store = open_store(db)
    store.save_analysis(_analysis("a", "a.txt"), model="m", analyzer="1")
    store.save_analysis(_analysis("b", "b.txt", "Huobi"), model="m", analyzer="1")
    result = ExtractResult()
    _graph_of_the_run(store, ["a", "gone"], result)
    assert not result.from_store
    assert [a.id for a in result.graph.articles] == ["a"]
    assert [e.name for e in result.graph.entities] == ["Binance"]


def _sqlite_steps_to_update_every_entity(tmp_path, size: int) -> int:
    """SQLite's virtual-machine steps (in hundreds) to write an update touching every entity
    of a stored graph of `size` people linked in a chain, as when every article is dirty."""
    from newsents.graph_update import GraphUpdate
    from newsents.models import Edge, Entity, Graph
    from newsents.resolve.corpus import CorpusMemo

    store = open_store(tmp_path / f"{size}.db")
    people = [
        Entity(id=f"per_{i:06d}", name=f"Person {i}", type="person", label="PERSON",
               aliases=[f"Person {i}"], mention_count=0, article_count=0, mentions=[])
        for i in range(size)
    ]  # fmt: skip
    links = [
        Edge(source=a.id, target=b.id, weight=1, articles=["a"])
        for a, b in zip(people, people[1:], strict=False)
    ]
    states = {"a": ("digest", tuple(p.id for p in people))}
    graph = Graph(articles=[], entities=people, edges=links)
    assert store.save_graph(graph, {}, generation=store.generation(), rules="r", states=states)
    base = store.graph_base("r", store.alias_rules())
    update = GraphUpdate(
        touched={p.id for p in people}, entities=people, edges=links, evidence={},
        relations=[], dirty={"a"}, salience={}, states=states, memo=CorpusMemo(),
    )  # fmt: skip
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    store.db.set_progress_handler(count, 100)
    assert store.update_graph(update, base=base, generation=store.generation(), rules="r")
    store.db.set_progress_handler(None, 0)
    assert store.graph_counts() == (size, size - 1)
    store.close()
    return steps


def test_updating_a_graph_where_every_entity_is_touched_costs_in_proportion_to_its_size(
    tmp_path,
):
    """Every article is dirty when the corpus is named by another path (moved, or a relative
    path from elsewhere). Its links were once deleted by looking up every pair of touched
    entities: 45 s for the BBC corpus's 12,600 entities. Counted in SQLite's steps, not
    seconds, so a busy machine cannot bend it: twice the entities, about twice the work."""
    small = _sqlite_steps_to_update_every_entity(tmp_path, 600)
    large = _sqlite_steps_to_update_every_entity(tmp_path, 1200)
    assert large / small < 2.6, (small, large)
